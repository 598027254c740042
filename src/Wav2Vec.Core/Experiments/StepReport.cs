using System.Collections.Immutable;

namespace Wav2Vec.Experiments;

/// <summary>Which part of an experiment produced a <see cref="StepReport"/>.</summary>
public enum Phase
{
    /// <summary>Self-supervised pre-training (contrastive + diversity objective).</summary>
    Pretrain,
    /// <summary>CTC fine-tuning on labelled speech (its dev CER/WER arrive in the reports of the updates they follow).</summary>
    Finetune,
}

/// <summary>
/// What one training update reports: the unit every sink consumes. Metric names are free-form
/// so pre-training (loss terms, codebook perplexity, accuracy) and fine-tuning (CTC loss, CER, WER) fit the
/// same record; <see cref="MetricNames"/> holds the names the framework itself uses.
/// </summary>
/// <param name="Run">Run name (an experiment's name, or a sweep member's).</param>
/// <param name="Phase">Pre-training or fine-tuning.</param>
/// <param name="Step">Optimiser update count after this step (1-based).</param>
/// <param name="Epoch">Passes over the training data completed before this step (0-based).</param>
/// <param name="Elapsed">Wall time since the run started.</param>
/// <param name="LearningRate">Learning rate used by this step.</param>
/// <param name="Metrics">Metric values by name, sorted by name so every sink sees a stable order.</param>
/// <param name="TotalSteps">Planned number of steps for this phase, when known (progress and ETA).</param>
/// <param name="Checkpoint">Path of the checkpoint written at this step, if one was.</param>
public sealed record StepReport(
    string Run,
    Phase Phase,
    long Step,
    int Epoch,
    TimeSpan Elapsed,
    double LearningRate,
    ImmutableSortedDictionary<string, double> Metrics,
    long? TotalSteps = null,
    string? Checkpoint = null)
{
    /// <summary>A report with the given metrics (any sequence of name/value pairs; later duplicates win).</summary>
    public static StepReport Create(string run, Phase phase, long step, int epoch, TimeSpan elapsed, double learningRate,
        IEnumerable<KeyValuePair<string, double>> metrics, long? totalSteps = null, string? checkpoint = null) =>
        new(run, phase, step, epoch, elapsed, learningRate, ToMetrics(metrics), totalSteps, checkpoint);

    /// <summary>The metric's value, or null when this step did not report it.</summary>
    public double? Metric(string name) => Metrics.TryGetValue(name, out var value) ? value : null;

    /// <summary>Sorted, immutable metrics with ordinal name comparison (later duplicates win).</summary>
    public static ImmutableSortedDictionary<string, double> ToMetrics(IEnumerable<KeyValuePair<string, double>> metrics)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics) builder[name] = value;
        return builder.ToImmutable();
    }

    /// <summary>The phase as written in logs and file names: <c>pretrain</c>, <c>finetune</c>.</summary>
    public static string PhaseName(Phase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>Parses <see cref="PhaseName"/>'s output (case-insensitive); the error names the bad text.</summary>
    public static Phase ParsePhase(string text) =>
        Enum.TryParse<Phase>(text, ignoreCase: true, out var phase) && Enum.IsDefined(phase)
            ? phase
            : throw new FormatException($"phase '{text}' is not one of pretrain, finetune.");
}
