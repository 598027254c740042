using System.Collections.Immutable;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Experiments;

/// <summary>What a sweep point's run reported: its last update, its compute time and the last value of every metric.</summary>
/// <param name="Index">The point's index in the sweep.</param>
/// <param name="Point">The point.</param>
/// <param name="Step">The last update it logged.</param>
/// <param name="ComputeSeconds">Wall time of the run as logged at its last update (<c>elapsed_s</c>; a resumed run adds the time before its checkpoint).</param>
/// <param name="Metrics">The last value of every metric it logged (dev metrics come from its last evaluation).</param>
public sealed record SweepResult(int Index, SweepPoint<ExperimentDescription> Point, long Step, double ComputeSeconds,
    ImmutableSortedDictionary<string, double> Metrics)
{
    /// <summary>The trained model's test scores (<see cref="TestScoring"/>), or null when the point was not scored.</summary>
    public TestScores? Scores { get; init; }

    /// <summary>
    /// The row of a results table this result was read back from (<see cref="SweepTable.Recorded"/>), column → cell, or
    /// null when it was read from its run folder. Such a run is not on this machine; its metrics also hold the row's
    /// test-score columns (<c>test_cer</c>, …) as numbers.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Recorded { get; init; }

    /// <summary>
    /// Prefix of the metrics <see cref="WithProbe"/> adds: the dev probe measured again on the run's trained model
    /// (<c>probed_dev_accuracy</c>, <c>probed_dev_chance_accuracy</c>, …).
    /// </summary>
    public const string ProbedPrefix = "probed_";

    /// <summary>
    /// For a pre-training point, whether it learns by <see cref="HealthLevels.Learns(double, double, double, int, int)"/>
    /// (G and V from its model config): on its <see cref="ProbedPrefix"/> metrics with their dev perplexity when it was
    /// probed again (the model a fine-tuning starts from, read with today's chance levels), else on the last evaluation's
    /// <c>dev_accuracy</c> and <c>dev_chance_accuracy</c> with the last training <c>perplexity</c>; null when they are missing
    /// or the point does not pre-train.
    /// </summary>
    public bool? Learns =>
        Point.Description is not PretrainExperiment pretrain ? null
        : Probed is { Count: > 0 } probed ? HealthLevels.Learns(probed, DiagnosticNames.DevPerplexity, pretrain.ResolvedModel)
        : HealthLevels.Learns(Metrics, MetricNames.Perplexity, pretrain.ResolvedModel);

    /// <summary>The <see cref="ProbedPrefix"/> metrics under their probe names (<c>dev_accuracy</c>, …); empty when not probed.</summary>
    public IReadOnlyDictionary<string, double> Probed =>
        Metrics.Where(m => m.Key.StartsWith(ProbedPrefix, StringComparison.Ordinal)).ToDictionary(m => m.Key[ProbedPrefix.Length..], m => m.Value);

    /// <summary>This result with the metrics of <paramref name="probe"/> added under <see cref="ProbedPrefix"/> (replacing an earlier probe's).</summary>
    public SweepResult WithProbe(DevProbeMeasurement probe) => this with
    {
        Metrics = Metrics.RemoveRange(Metrics.Keys.Where(k => k.StartsWith(ProbedPrefix, StringComparison.Ordinal)))
            .SetItems(probe.Metrics.Select(m => KeyValuePair.Create(ProbedPrefix + m.Key, m.Value))),
    };

    /// <summary>The result of point <paramref name="index"/> from its reports, in step order.</summary>
    public static SweepResult Of(int index, SweepPoint<ExperimentDescription> point, IEnumerable<StepReport> reports)
    {
        var metrics = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var (step, seconds) = (0L, 0.0);
        foreach (var r in reports)
        {
            foreach (var (name, value) in r.Metrics) metrics[name] = value;
            (step, seconds) = (r.Step, r.Elapsed.TotalSeconds);
        }
        return new SweepResult(index, point, step, seconds, metrics.ToImmutable());
    }

    /// <summary>The results of the <paramref name="points"/> that reported in <paramref name="reports"/> (matched by run name).</summary>
    public static IReadOnlyList<SweepResult> FromReports(IReadOnlyList<SweepPoint<ExperimentDescription>> points, IEnumerable<StepReport> reports)
    {
        var byRun = reports.ToLookup(r => r.Run);
        return points.Select((p, i) => (Point: p, Index: i, Reports: byRun[p.Description.Name].ToList()))
            .Where(p => p.Reports.Count > 0)
            .Select(p => Of(p.Index, p.Point, p.Reports))
            .ToList();
    }
}
