using Wav2Vec.Ctc;

namespace Wav2Vec.Corpus;

/// <summary>How a recorded source is imported.</summary>
/// <param name="OutDir">Output folder: manifests, <c>vocab.json</c> and reports at its top, audio under <c>wav/</c>.</param>
/// <param name="Seed">Dev/test and budget selection derive from it.</param>
/// <param name="DevFraction">Share of the duration held out for dev.</param>
/// <param name="TestFraction">Share of the duration held out for test.</param>
/// <param name="Root">Where the packages' files are looked for: <c>/</c>, or a folder laid out like it.</param>
/// <param name="Threads">Parallel decoders; null for one per core.</param>
public sealed record ImportOptions(
    string OutDir, long Seed = 0, double DevFraction = 0.1, double TestFraction = 0.2, string Root = "/", int? Threads = null)
{
    /// <summary>The labelled budgets written when the training split holds them: 10 minutes and 1 hour (Libri-light's smallest).</summary>
    public IReadOnlyList<Budget> Budgets { get; init; } = [.. Budget.LibriLight.Take(2)];
}

/// <summary>Progress of an import's decoding, reported after each file.</summary>
public sealed record ImportProgress(int Decoded, int Files);

/// <summary>What an import wrote.</summary>
/// <param name="Source">The source's name, e.g. <c>asterisk-es</c>.</param>
/// <param name="OutDir">Output folder.</param>
/// <param name="Splits">train, the budgets written, dev, test (test alone for an evaluation-only source).</param>
/// <param name="Vocabulary">Built from the training transcripts; null for an evaluation-only source.</param>
/// <param name="DroppedCharacters">Characters outside the language's letters in the transcripts left out, with counts.</param>
/// <param name="Excluded">Everything left out, with why (also in <c>excluded.tsv</c>).</param>
/// <param name="Notes">What the user should read: budgets not written, spelled numbers, evaluation-only use.</param>
public sealed record ImportReport(
    string Source, string OutDir, IReadOnlyList<SplitSummary> Splits, Vocabulary? Vocabulary,
    IReadOnlyDictionary<char, int> DroppedCharacters, IReadOnlyList<ExcludedItem> Excluded, IReadOnlyList<string> Notes)
{
    /// <summary>Left-out items per reason.</summary>
    public IReadOnlyDictionary<ExclusionReason, int> ExcludedByReason =>
        Excluded.GroupBy(e => e.Reason).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}
