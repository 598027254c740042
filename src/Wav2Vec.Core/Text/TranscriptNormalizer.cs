namespace Wav2Vec.Text;

/// <summary>
/// Entry point for transcript normalisation: one function per language.
/// <c>TranscriptNormalizer.For("en").Normalize("Don't stop!")</c> → letters <c>DON'T|STOP</c>,
/// <c>.ToLtr()</c> → <c>D O N ' T | S T O P |</c>.
/// </summary>
public static class TranscriptNormalizer
{
    /// <summary>The default language.</summary>
    public const string DefaultLanguage = "en";

    /// <summary>English (<see cref="EnglishNormalizer"/>).</summary>
    public static ITranscriptNormalizer English => EnglishNormalizer.Instance;

    /// <summary>
    /// The normaliser for a BCP-47 language tag: <c>en</c>, <c>en-GB</c>, <c>eng</c> give <see cref="EnglishNormalizer"/>;
    /// anything else a <see cref="ScriptNormalizer"/> for the language's script (<see cref="WritingScript.ForLanguage"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The tag is empty.</exception>
    public static ITranscriptNormalizer For(string language)
    {
        if (string.IsNullOrWhiteSpace(language))
            throw new ArgumentException("language: expected a language tag such as 'en', 'cy' or 'ru', got an empty string", nameof(language));
        var primary = language.Split('-', '_')[0];
        return primary.Equals("en", StringComparison.OrdinalIgnoreCase) || primary.Equals("eng", StringComparison.OrdinalIgnoreCase)
            ? English
            : new ScriptNormalizer(language, WritingScript.ForLanguage(language));
    }

    /// <summary>Shorthand for <c>For(language).Normalize(text)</c>.</summary>
    public static NormalizedTranscript Normalize(string text, string language = DefaultLanguage) => For(language).Normalize(text);
}
