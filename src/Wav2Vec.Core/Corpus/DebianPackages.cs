namespace Wav2Vec.Corpus;

/// <summary>
/// Installs Debian packages with apt-get (through <c>sudo -n</c> when not root), saying so first. A fresh machine or
/// container often has empty or stale package lists, so an install that fails for that reason runs <c>apt-get update</c>
/// once and tries again.
/// </summary>
public static class DebianPackages
{
    static bool listsUpdated;

    /// <summary>
    /// Installs <paramref name="packages"/>, telling <paramref name="say"/> one line before. Returns false, after one line
    /// saying why, when apt-get is missing, sudo needs a password, or apt-get fails even after updating its lists.
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
        while (true)
        {
            try
            {
                AptGet(root, ["install", "-y", "-q", .. packages]);
                return true;
            }
            catch (InvalidOperationException e) when (ShouldUpdateAndRetry(e.Message, listsUpdated))
            {
                say("apt-get's package lists do not hold them (empty or out of date): running apt-get update, then installing again");
                listsUpdated = true;
                try
                {
                    AptGet(root, ["update", "-q"]);
                }
                catch (InvalidOperationException update)
                {
                    say($"apt-get update failed ({FirstLine(update.Message)})");
                    return false;
                }
            }
            catch (InvalidOperationException e)
            {
                say($"apt-get could not install them ({FirstLine(e.Message)})");
                return false;
            }
        }
    }

    /// <summary>
    /// Whether an <c>apt-get install</c> that failed with <paramref name="aptError"/> (its stderr) may succeed after
    /// <c>apt-get update</c>: the lists do not know a package ("Unable to locate package", "has no installation
    /// candidate") or point at archives the mirror no longer has ("404 Not Found", "maybe run apt-get update").
    /// Never when <paramref name="listsUpdated"/>: the lists are updated once per process, so a package that is really
    /// missing fails instead of looping. A lock, a password prompt or a full disk is no reason to update.
    /// </summary>
    public static bool ShouldUpdateAndRetry(string aptError, bool listsUpdated) =>
        !listsUpdated && StaleListSigns.Any(sign => aptError.Contains(sign, StringComparison.OrdinalIgnoreCase));

    static readonly string[] StaleListSigns =
        ["Unable to locate package", "has no installation candidate", "404  Not Found", "404 Not Found", "maybe run apt-get update"];

    static void AptGet(bool root, IReadOnlyList<string> arguments) =>
        ExternalProcess.Run(root ? "apt-get" : "sudo", [.. root ? Array.Empty<string>() : ["-n", "apt-get"], .. arguments]);

    static string FirstLine(string message) => message.Split('\n')[0];
}
