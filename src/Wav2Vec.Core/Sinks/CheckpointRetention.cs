namespace Wav2Vec.Sinks;

/// <summary>A checkpoint on disk as retention sees it: where, at which step, and its score on the tracked metric.</summary>
/// <param name="Path">Checkpoint file or folder.</param>
/// <param name="Step">Optimiser step it was written at.</param>
/// <param name="Metric">Value of <see cref="RetentionPolicy.BestMetric"/> at that step, when measured (NaN never counts as best).</param>
public sealed record CheckpointEntry(string Path, long Step, double? Metric = null);

/// <summary>Which checkpoints to keep: the last <paramref name="KeepLast"/> by step, plus the best by a metric.</summary>
/// <param name="KeepLast">How many of the most recent checkpoints to keep (0 keeps none for recency).</param>
/// <param name="BestMetric">Metric that ranks checkpoints (e.g. <c>wer</c>, <c>loss</c>); null keeps no "best".</param>
/// <param name="LowerIsBetter">True for losses and error rates, false for accuracy.</param>
public sealed record RetentionPolicy(int KeepLast = 3, string? BestMetric = null, bool LowerIsBetter = true)
{
    /// <summary>Validated copy; the error names the field.</summary>
    public RetentionPolicy Validate() =>
        KeepLast < 0 ? throw new ArgumentOutOfRangeException(nameof(KeepLast), KeepLast, "KeepLast must be 0 or more.") : this;
}

/// <summary>The checkpoint-retention rule as a pure function, so the policy is tested apart from the file system.</summary>
public static class CheckpointRetention
{
    /// <summary>
    /// Splits <paramref name="checkpoints"/> into those to keep and those to delete: the
    /// <see cref="RetentionPolicy.KeepLast"/> highest steps, plus the single best-scoring one (ties go to the
    /// earlier step, which reached that score first). Both lists are in step order.
    /// </summary>
    public static (IReadOnlyList<CheckpointEntry> Keep, IReadOnlyList<CheckpointEntry> Delete) Apply(
        IReadOnlyList<CheckpointEntry> checkpoints, RetentionPolicy policy)
    {
        policy.Validate();
        var byStep = checkpoints.OrderBy(c => c.Step).ToList();
        var keep = byStep.TakeLast(policy.KeepLast).ToHashSet();
        if (policy.BestMetric is not null && Best(byStep, policy.LowerIsBetter) is { } best) keep.Add(best);
        return (byStep.Where(keep.Contains).ToList(), byStep.Where(c => !keep.Contains(c)).ToList());
    }

    /// <summary>The best-scoring checkpoint with a finite metric (earliest on ties), or null when none has one.</summary>
    public static CheckpointEntry? Best(IEnumerable<CheckpointEntry> checkpoints, bool lowerIsBetter)
    {
        CheckpointEntry? best = null;
        foreach (var c in checkpoints.OrderBy(c => c.Step))
        {
            if (c.Metric is not { } m || !double.IsFinite(m)) continue;
            if (best is null || (lowerIsBetter ? m < best.Metric!.Value : m > best.Metric!.Value)) best = c;
        }
        return best;
    }
}
