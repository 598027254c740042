namespace Wav2Vec.Corpus;

/// <summary>Finds missing TTS engines and text packages and installs them with apt-get after saying so.</summary>
public static class CorpusPrerequisites
{
    /// <summary>The engines the corpus uses, in a fixed order.</summary>
    public static readonly IReadOnlyList<ITtsEngine> Engines = [new EspeakEngine(), new FliteEngine(), new FestivalEngine()];

    /// <summary>Debian packages for everything the default corpus can use.</summary>
    public static IReadOnlyList<string> AllPackages =>
        [.. Engines.SelectMany(e => e.Packages).Concat(SentenceSources.All.Select(s => s.Package)).Distinct()];

    /// <summary>Packages whose engine, voice or text is not present.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (ExternalProcess.Which("espeak-ng") is null) missing.Add("espeak-ng");
        if (ExternalProcess.Which("flite") is null) missing.Add("flite");
        var festival = new FestivalEngine();
        if (ExternalProcess.Which("text2wave") is null) missing.AddRange(festival.Packages);
        else if (festival.InstalledVoices().Count < 2) missing.AddRange(festival.Packages.Skip(1));
        missing.AddRange(SentenceSources.All.Where(s => !s.IsInstalled()).Select(s => s.Package));
        return missing;
    }

    /// <summary>
    /// Installs missing packages with apt-get (through sudo when not root), telling <paramref name="say"/> first.
    /// Carries on with what is installed when that is enough (one engine with three voices, one text source).
    /// </summary>
    /// <exception cref="InvalidOperationException">Too little is installed and it could not be installed; the message lists the packages.</exception>
    public static void Ensure(Action<string> say)
    {
        var missing = Missing();
        if (missing.Count == 0) return;
        var command = Environment.UserName == "root" ? "apt-get" : "sudo";
        var prefix = command == "sudo" ? new[] { "-n", "apt-get" } : [];
        if (ExternalProcess.Which("apt-get") is not null && ExternalProcess.Which(command) is not null)
        {
            say($"Installing missing TTS engines/texts with apt-get: {string.Join(' ', missing)}");
            try
            {
                ExternalProcess.Run(command, [.. prefix, "install", "-y", "-q", .. missing]);
            }
            catch (InvalidOperationException e)
            {
                say($"apt-get could not install them ({e.Message.Split('\n')[0]}); carrying on with what is installed.");
            }
        }
        var voices = Engines.Sum(e => e.InstalledVoices().Count);
        var texts = SentenceSources.All.Count(s => s.IsInstalled());
        if (voices < 3 || texts == 0)
            throw new InvalidOperationException(
                $"The default corpus needs TTS engines and texts that are not installed. Install them with: sudo apt-get install {string.Join(' ', AllPackages)}");
        if (Missing() is { Count: > 0 } still)
            say($"Not installed, so not used: {string.Join(' ', still)}");
    }
}
