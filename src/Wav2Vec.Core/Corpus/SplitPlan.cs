namespace Wav2Vec.Corpus;

/// <summary>An utterance of the training pool as split planning sees it.</summary>
public sealed record PooledUtterance(string Id, string Voice, double Seconds);

/// <summary>Which voices read which split: dev and test voices never appear in training.</summary>
public sealed record VoicePartition(IReadOnlyList<string> Train, IReadOnlyList<string> Dev, IReadOnlyList<string> Test);

/// <summary>A nested labelled subset of the training pool.</summary>
/// <param name="Name">Split name, e.g. <c>train-1h</c>.</param>
/// <param name="NominalSeconds">The budget asked for.</param>
/// <param name="TargetSeconds">The budget aimed at: the nominal one, or the pool's total when the pool is smaller.</param>
/// <param name="Ids">Selected utterance ids, in selection order.</param>
/// <param name="Seconds">Their total duration.</param>
public sealed record LabelledSubset(string Name, double NominalSeconds, double TargetSeconds, IReadOnlyList<string> Ids, double Seconds)
{
    /// <summary>True when the pool was too small for the nominal budget.</summary>
    public bool Capped => TargetSeconds < NominalSeconds;
}

/// <summary>A labelled budget: a split name and its nominal duration.</summary>
public sealed record Budget(string Name, double Seconds)
{
    /// <summary>Libri-light's budgets: 10 minutes, 1 hour, 10 hours.</summary>
    public static readonly IReadOnlyList<Budget> LibriLight = [new("train-10min", 600), new("train-1h", 3600), new("train-10h", 36_000)];
}
