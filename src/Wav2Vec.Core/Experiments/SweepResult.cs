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
    /// For a pre-training point whose metrics hold <c>dev_accuracy</c>, <c>dev_chance_accuracy</c> and <c>perplexity</c>:
    /// whether it learns by <see cref="HealthLevels.Learns(double, double, double, int, int)"/> (G and V from its model config); otherwise null.
    /// </summary>
    public bool? Learns =>
        Point.Description is PretrainExperiment pretrain ? HealthLevels.Learns(Metrics, MetricNames.Perplexity, pretrain.ResolvedModel) : null;

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
