namespace Wav2Vec.Text;

/// <summary>
/// A transcript reduced to the letters a CTC model predicts.
/// <see cref="Letters"/> holds the words with <c>|</c> between them (no leading or trailing <c>|</c>),
/// e.g. <c>HELLO|WORLD</c>; <see cref="Unmapped"/> lists, in order of first appearance, each character of the
/// input that could not be mapped to a letter (digits, symbols, letters of another script), so the caller
/// can report them for this utterance instead of losing them silently.
/// </summary>
public sealed record NormalizedTranscript(string Letters, IReadOnlyList<char> Unmapped)
{
    /// <summary>The word delimiter used in <see cref="Letters"/> and in fairseq <c>.ltr</c> lines.</summary>
    public const char WordDelimiter = '|';

    /// <summary>True when every character of the input was mapped or deliberately dropped (punctuation, spacing).</summary>
    public bool IsClean => Unmapped.Count == 0;

    /// <summary>The words, in order.</summary>
    public IReadOnlyList<string> Words =>
        Letters.Length == 0 ? [] : Letters.Split(WordDelimiter);

    /// <summary>
    /// The fairseq <c>.ltr</c> form: letters separated by spaces, <c>|</c> ending every word,
    /// e.g. <c>H E L L O | W O R L D |</c>. Empty for an empty transcript.
    /// </summary>
    public string ToLtr() =>
        Letters.Length == 0 ? "" : string.Join(' ', (Letters + WordDelimiter).Select(c => c.ToString()));

    /// <summary>The fairseq <c>.wrd</c> form: the words separated by single spaces, e.g. <c>HELLO WORLD</c>.</summary>
    public string ToWrd() => Letters.Replace(WordDelimiter, ' ');

    /// <summary>The unmapped characters as a readable list for error and report messages, e.g. <c>'3', '€'</c>.</summary>
    public string DescribeUnmapped() =>
        string.Join(", ", Unmapped.Select(c => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'"));

    /// <summary>Parses a fairseq <c>.ltr</c> line (<c>H I | T H E R E |</c>) back to letters with <c>|</c> between words.</summary>
    public static string LettersFromLtr(string ltrLine) =>
        string.Concat(ltrLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(WordDelimiter);
}
