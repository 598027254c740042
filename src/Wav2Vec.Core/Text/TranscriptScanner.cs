using System.Globalization;
using System.Text;

namespace Wav2Vec.Text;

/// <summary>
/// The word-splitting rules every language shares, parameterised by how one letter maps.
/// Rules: spaces, dashes and slashes end a word; an apostrophe is kept inside or at the end of a word and
/// dropped at its start (an opening quote) together with the matching closing one; other punctuation is dropped because it is not spoken;
/// combining marks the language keeps stay with their letter; everything else (digits, symbols, letters
/// the language cannot map) is reported as unmapped and left out of the letters.
/// </summary>
static class TranscriptScanner
{
    /// <summary>Scans already Unicode-normalised text.</summary>
    /// <param name="text">The transcript after the language's Unicode normalisation.</param>
    /// <param name="mapLetter">The output for a letter, or null when the letter is not in the language's alphabet.</param>
    /// <param name="keepMark">True for a combining mark the language keeps after a letter.</param>
    public static NormalizedTranscript Scan(string text, Func<Rune, string?> mapLetter, Func<Rune, bool> keepMark)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var unmapped = new List<char>();
        var quoted = false;
        void EndWord()
        {
            // A word opened by a dropped quote ('hello') loses its closing quote too.
            if (quoted && word.Length > 0 && word[^1] == '\'') word.Length--;
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
            quoted = false;
        }
        void Report(Rune r)
        {
            var c = r.IsBmp ? (char)r.Value : '\uFFFD';
            if (!unmapped.Contains(c)) unmapped.Add(c);
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (IsApostrophe(rune))
            {
                if (word.Length > 0) word.Append('\'');
                else quoted = true;
            }
            else if (Rune.IsWhiteSpace(rune) || category == UnicodeCategory.DashPunctuation || rune.Value is '/' or '_')
                EndWord();
            else if (Rune.IsLetter(rune))
            {
                if (mapLetter(rune) is { } mapped) word.Append(mapped);
                else Report(rune);
            }
            else if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                if (keepMark(rune) && word.Length > 0) word.Append(rune.ToString());
                else if (!keepMark(rune) && IsDiacritic(rune)) { }
                else Report(rune);
            }
            else if (Rune.IsPunctuation(rune) || category == UnicodeCategory.Format)
            {
            }
            else
                Report(rune);
        }
        EndWord();
        return new NormalizedTranscript(string.Join(NormalizedTranscript.WordDelimiter, words), unmapped);
    }

    /// <summary>Apostrophe and the typographic quotes used as apostrophes.</summary>
    public static bool IsApostrophe(Rune r) => r.Value is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4';

    /// <summary>A combining diacritic of the Latin/Greek/Cyrillic tradition (U+0300–U+036F), droppable by design.</summary>
    static bool IsDiacritic(Rune r) => r.Value is >= 0x0300 and <= 0x036F;
}
