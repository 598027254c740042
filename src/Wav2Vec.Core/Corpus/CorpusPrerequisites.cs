using Wav2Vec.Errors;

namespace Wav2Vec.Corpus;

/// <summary>Finds missing TTS engines and text packages and installs them with apt-get after saying so.</summary>
public static class CorpusPrerequisites
{
    /// <summary>New instances of the engines the corpus uses, in a fixed order; the caller disposes them.</summary>
    public static IReadOnlyList<ITtsEngine> CreateEngines() => [new EspeakEngine(), new FliteEngine(), new FestivalEngine()];

    /// <summary>Debian packages for everything the default corpus can use.</summary>
    public static IReadOnlyList<string> AllPackages =>
        [.. CreateEngines().SelectMany(e => e.Packages).Concat(SentenceSources.All.Select(s => s.Package)).Distinct()];

    /// <summary>Packages whose engine, voice or text is not present.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (ExternalProcess.Which("espeak-ng") is null) missing.Add("espeak-ng");
        if (ExternalProcess.Which("flite") is null) missing.Add("flite");
        var festival = new FestivalEngine();
        if (ExternalProcess.Which("festival") is null) missing.AddRange(festival.Packages);
        else if (festival.InstalledVoices().Count < 2) missing.AddRange(festival.Packages.Skip(1));
        missing.AddRange(SentenceSources.All.Where(s => !s.IsInstalled()).Select(s => s.Package));
        return missing;
    }

    /// <summary>
    /// Installs missing packages with apt-get (<see cref="DebianPackages.TryInstall"/>: through sudo when not root, the
    /// package lists updated once when they lack them), telling <paramref name="say"/> first. Carries on with what is
    /// installed when that is enough (three voices, one text source).
    /// </summary>
    /// <exception cref="HintedException">Too little is installed and it could not be installed; the hint gives the command.</exception>
    public static void Ensure(Action<string> say)
    {
        var missing = Missing();
        if (missing.Count == 0) return;
        if (!DebianPackages.TryInstall(missing, "missing TTS engines/texts", say)) say("carrying on with what is installed");
        var voices = CreateEngines().Sum(e => e.InstalledVoices().Count);
        var texts = SentenceSources.All.Count(s => s.IsInstalled());
        if (voices < 3 || texts == 0)
            throw new HintedException(
                new InvalidOperationException($"the default corpus needs TTS engines and texts that are not installed: {string.Join(' ', Missing())}"),
                $"install them with `sudo apt-get update && sudo apt-get install -y {string.Join(' ', AllPackages)}`, then run again.");
        if (Missing() is { Count: > 0 } still)
            say($"Not installed, so not used: {string.Join(' ', still)}");
    }

    /// <summary>
    /// Installs the voices only unlabelled pools use (<see cref="FestivalEngine.PoolPackages"/>) when festival lacks
    /// them, carrying on without them when that fails: espeak-ng's pool variants are enough.
    /// </summary>
    /// <exception cref="HintedException">No engine offers a pool voice.</exception>
    public static void EnsurePoolVoices(Action<string> say)
    {
        if (ExternalProcess.Which("festival") is not null && new FestivalEngine().PoolVoices().Count == 0
            && !DebianPackages.TryInstall(FestivalEngine.PoolPackages, "festival voices for the unlabelled pool", say))
            say($"Not installed, so not used: {string.Join(' ', FestivalEngine.PoolPackages)}");
        if (CreateEngines().Sum(e => e.PoolVoices().Count) == 0)
            throw new HintedException(new InvalidOperationException("no installed TTS engine offers a voice beyond the default corpus's"),
                "install espeak-ng (`sudo apt-get install -y espeak-ng`), then run again.");
    }
}
