using System.Text;

namespace Wav2Vec.Text;

/// <summary>
/// Any language other than English: the letters of its script after Unicode NFC normalisation and case folding
/// (lower case, final sigma folded to sigma), apostrophe kept, <c>|</c> between words. Combining marks of the
/// script (Devanagari vowel signs, Arabic harakat, tone marks without a precomposed form) stay with their letter.
/// The alphabet is open, so a new language (Welsh, Czech, Russian, …) needs no code: its letters are whatever
/// letters of its script appear in the data. Letters of other scripts, digits and symbols are reported unmapped.
/// </summary>
public sealed class ScriptNormalizer(string language, WritingScript script) : ITranscriptNormalizer
{
    /// <inheritdoc/>
    public string Language { get; } = language;

    /// <summary>The script whose letters are kept.</summary>
    public WritingScript Script { get; } = script;

    /// <inheritdoc/>
    public IReadOnlyList<char>? Alphabet => null;

    /// <inheritdoc/>
    public bool IsLetter(char c) => c == '\'' || (Script.Contains(c) && (char.IsLetter(c) || IsMark(c)) && Fold(c) == c);

    /// <inheritdoc/>
    public NormalizedTranscript Normalize(string text) =>
        TranscriptScanner.Scan(text.Normalize(NormalizationForm.FormC), MapLetter, KeepMark);

    string? MapLetter(Rune r) =>
        r.IsBmp && Script.Contains(r.Value) ? Fold((char)r.Value).ToString() : null;

    bool KeepMark(Rune r) => Script.Contains(r.Value) || r.Value is >= 0x0300 and <= 0x036F;

    static char Fold(char c) => c == 'ς' ? 'σ' : char.ToLowerInvariant(c);

    static bool IsMark(char c) => char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;
}
