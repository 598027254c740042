using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

/// <summary>When a failed <c>apt-get install</c> is worth an <c>apt-get update</c> and a second try (fresh machines have empty package lists).</summary>
public class DebianPackagesTests
{
    [Theory]
    [InlineData("sudo -n apt-get install -y -q espeak-ng flite exited with 100: Reading package lists...\nE: Unable to locate package espeak-ng\nE: Unable to locate package flite")]
    [InlineData("apt-get install -y -q festvox-kallpc16k exited with 100: E: Package 'festvox-kallpc16k' has no installation candidate")]
    [InlineData("apt-get install -y -q fortunes exited with 100: E: Failed to fetch http://deb.debian.org/debian/pool/main/f/fortune-mod/fortunes_1.99.1-7.3_all.deb  404  Not Found [IP: 151.101.2.132 80]\n" +
                "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?")]
    public void AnInstallThatFailsOnMissingOrStaleListsUpdatesThemOnceAndRetries(string aptError)
    {
        Assert.True(DebianPackages.ShouldUpdateAndRetry(aptError, listsUpdated: false));
        Assert.False(DebianPackages.ShouldUpdateAndRetry(aptError, listsUpdated: true));
    }

    [Theory]
    [InlineData("sudo -n apt-get install -y -q flite exited with 1: sudo: a password is required")]
    [InlineData("apt-get install -y -q flite exited with 100: E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)")]
    [InlineData("apt-get install -y -q flite exited with 100: E: You don't have enough free space in /var/cache/apt/archives/.")]
    [InlineData("apt-get install -y -q flite exited with 100: E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)")]
    public void ALockAPasswordPromptOrAFullDiskIsNoReasonToUpdate(string aptError) =>
        Assert.False(DebianPackages.ShouldUpdateAndRetry(aptError, listsUpdated: false));
}
