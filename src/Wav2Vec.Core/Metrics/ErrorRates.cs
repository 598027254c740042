namespace Wav2Vec.Metrics;

/// <summary>
/// Word and character error counts of transcripts, with jiwer's conventions: words are split at whitespace;
/// characters are those of the text with leading/trailing whitespace stripped and inner runs of whitespace
/// reduced to one space (spaces count as characters).
/// </summary>
public static class ErrorRates
{
    /// <summary>Word-level counts; <see cref="ErrorCounts.Rate"/> is the WER.</summary>
    public static ErrorCounts Words(string reference, string hypothesis) => EditDistance.Align(SplitWords(reference), SplitWords(hypothesis));

    /// <summary>Character-level counts; <see cref="ErrorCounts.Rate"/> is the CER.</summary>
    public static ErrorCounts Characters(string reference, string hypothesis) =>
        EditDistance.Align(CharacterText(reference).ToCharArray(), CharacterText(hypothesis).ToCharArray());

    /// <summary>Corpus WER and CER counts over (reference, hypothesis) pairs: totals, not a mean of rates.</summary>
    public static (ErrorCounts Words, ErrorCounts Characters) Corpus(IEnumerable<(string Reference, string Hypothesis)> pairs) =>
        pairs.Aggregate((ErrorCounts.Zero, ErrorCounts.Zero),
            (acc, p) => (acc.Item1 + Words(p.Reference, p.Hypothesis), acc.Item2 + Characters(p.Reference, p.Hypothesis)));

    static string[] SplitWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    static string CharacterText(string text) => string.Join(' ', SplitWords(text));
}
