using System.Text;

namespace Wav2Vec.Text;

/// <summary>
/// English, as in LibriSpeech's transcripts: upper-case A–Z and the apostrophe, <c>|</c> between words.
/// Accents are removed (NFKD, then combining diacritics dropped: <c>café</c> → <c>CAFE</c>), ligatures and
/// <c>ß</c> are spelled out, punctuation is dropped; digits, symbols and letters of other scripts are
/// reported as unmapped (spell numbers out in the source text to keep them).
/// </summary>
public sealed class EnglishNormalizer : ITranscriptNormalizer
{
    static readonly Dictionary<int, string> Spelled = new()
    {
        ['ß'] = "SS", ['æ'] = "AE", ['Æ'] = "AE", ['œ'] = "OE", ['Œ'] = "OE", ['ø'] = "O", ['Ø'] = "O",
        ['ł'] = "L", ['Ł'] = "L", ['đ'] = "D", ['Đ'] = "D", ['ı'] = "I",
    };

    /// <summary>The one instance.</summary>
    public static EnglishNormalizer Instance { get; } = new();

    EnglishNormalizer() { }

    /// <inheritdoc/>
    public string Language => "en";

    /// <inheritdoc/>
    public IReadOnlyList<char> Alphabet { get; } = [.. "'ABCDEFGHIJKLMNOPQRSTUVWXYZ"];

    /// <inheritdoc/>
    public bool IsLetter(char c) => c is (>= 'A' and <= 'Z') or '\'';

    /// <inheritdoc/>
    public NormalizedTranscript Normalize(string text) =>
        TranscriptScanner.Scan(text.Normalize(NormalizationForm.FormKD), MapLetter, _ => false);

    static string? MapLetter(Rune r) => r.Value switch
    {
        >= 'a' and <= 'z' => ((char)(r.Value - 32)).ToString(),
        >= 'A' and <= 'Z' => ((char)r.Value).ToString(),
        _ => Spelled.GetValueOrDefault(r.Value),
    };
}
