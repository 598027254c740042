namespace Wav2Vec.Corpus;

/// <summary>The recorded sources <c>./wav2vec data import</c> knows, by name.</summary>
public static class SpeechSources
{
    /// <summary>Source names with their languages, for help texts.</summary>
    public const string Description =
        "asterisk (es, fr, it, ru; en for evaluation only), festvox (ru), fillets (cs, nl); for evaluation only, in en: debian (tuxpaint, ktuberling and klettres together), warzone";

    /// <summary>The source <paramref name="name"/> in <paramref name="language"/> (festvox needs none: it is Russian).</summary>
    /// <exception cref="ArgumentException">Unknown source, or a language it does not have; the message lists what exists.</exception>
    public static ISpeechSource Create(string name, string? language) => name switch
    {
        "asterisk" => new AsteriskPrompts(language ?? throw new ArgumentException("asterisk: --language is required (es, fr, it, ru; en for evaluation only)")),
        "festvox" when language is null or "ru" => new FestvoxRussian(),
        "festvox" => throw new ArgumentException($"festvox: only Russian (ru) has recordings with prompts in Debian, got '{language}'"),
        "fillets" => new FilletsDialogs(language ?? throw new ArgumentException("fillets: --language is required (cs or nl)")),
        "debian" => CombinedSources.DebianEnglish(language),
        "warzone" => new WarzoneTutorial(language),
        "tuxpaint" => new TuxPaintStamps(language),
        "ktuberling" => new KTuberlingSounds(language),
        "klettres" => new KLettresSounds(language),
        _ => throw new ArgumentException($"unknown source '{name}': expected {Description}"),
    };

    /// <summary>Returns <paramref name="language"/> when <paramref name="languages"/> holds it.</summary>
    /// <exception cref="ArgumentException">It does not; the message says which languages <paramref name="source"/> has.</exception>
    public static string Require(string source, string language, IReadOnlyList<string> languages, string expected) =>
        languages.Contains(language) ? language : throw new ArgumentException($"{source}: --language must be {expected}, got '{language}'");

    /// <summary>Installs the source's packages when its files are missing from the system (root <c>/</c> only).</summary>
    /// <exception cref="InvalidOperationException">They are still missing; the message names the packages.</exception>
    public static void EnsureInstalled(ISpeechSource source, Action<string> say)
    {
        if (source.IsInstalled("/")) return;
        DebianPackages.TryInstall(source.Packages, source.Name, say);
        if (!source.IsInstalled("/"))
            throw new InvalidOperationException($"{source.Name} needs Debian packages that are not installed: sudo apt-get install {string.Join(' ', source.Packages)}");
    }
}
