namespace Wav2Vec.Corpus;

/// <summary>Installs Debian packages with apt-get (through <c>sudo -n</c> when not root), saying so first.</summary>
public static class DebianPackages
{
    /// <summary>
    /// Installs <paramref name="packages"/>, telling <paramref name="say"/> one line before. Returns false, after one line
    /// saying why, when apt-get is missing, sudo needs a password, or apt-get fails (e.g. its lists are out of date).
    /// </summary>
    public static bool TryInstall(IReadOnlyList<string> packages, string purpose, Action<string> say)
    {
        var root = Environment.UserName == "root";
        if (ExternalProcess.Which("apt-get") is null || (!root && ExternalProcess.Which("sudo") is null))
        {
            say($"cannot install {purpose}: no apt-get{(root ? "" : " or sudo")} here");
            return false;
        }
        say($"Installing {purpose} with apt-get: {string.Join(' ', packages)}");
        try
        {
            ExternalProcess.Run(root ? "apt-get" : "sudo", [.. root ? Array.Empty<string>() : ["-n", "apt-get"], "install", "-y", "-q", .. packages]);
            return true;
        }
        catch (InvalidOperationException e)
        {
            say($"apt-get could not install them ({e.Message.Split('\n')[0]}); `sudo apt-get update` first may help");
            return false;
        }
    }
}
