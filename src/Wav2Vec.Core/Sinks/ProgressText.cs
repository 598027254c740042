using System.Globalization;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>Pure text for progress displays: headline metrics, ETA and the one-line form used when output is not a terminal.</summary>
public static class ProgressText
{
    /// <summary>
    /// Up to <paramref name="count"/> metrics to show: those in <see cref="MetricNames.Headline"/> order first,
    /// then the report's others by name.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Headline(StepReport report, int count = 4) =>
        MetricNames.Headline.Where(report.Metrics.ContainsKey)
            .Concat(report.Metrics.Keys.Where(k => !MetricNames.Headline.Contains(k)))
            .Take(count).Select(k => KeyValuePair.Create(k, report.Metrics[k])).ToList();

    /// <summary>Remaining time at the average pace so far; null before the first step or without a total.</summary>
    public static TimeSpan? Eta(TimeSpan elapsed, long step, long? totalSteps) =>
        totalSteps is { } total && step > 0 && total >= step
            ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - step) / step)
            : null;

    /// <summary>A metric value in 4 significant digits (invariant culture).</summary>
    public static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Elapsed or remaining time as h:mm:ss.</summary>
    public static string Format(TimeSpan time) => ((long)time.TotalHours).ToString(CultureInfo.InvariantCulture) + time.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>Headline metrics as <c>loss 3.21  perplexity 45.2</c>.</summary>
    public static string Metrics(StepReport report, int count = 4) =>
        string.Join("  ", Headline(report, count).Select(m => $"{m.Key} {Format(m.Value)}"));

    /// <summary>
    /// One plain progress line, e.g.
    /// <c>tiny pretrain step 120/1000 (12.0%)  loss 3.21  perplexity 45.2  lr 0.0005  elapsed 0:01:20  eta 0:09:47</c>.
    /// </summary>
    public static string Line(StepReport r)
    {
        var step = r.TotalSteps is { } total && total > 0
            ? $"step {r.Step}/{total} ({(100.0 * r.Step / total).ToString("F1", CultureInfo.InvariantCulture)}%)"
            : $"step {r.Step}";
        var eta = Eta(r.Elapsed, r.Step, r.TotalSteps) is { } e ? $"  eta {Format(e)}" : "";
        var metrics = Metrics(r);
        return $"{r.Run} {StepReport.PhaseName(r.Phase)} {step}{(metrics.Length > 0 ? "  " + metrics : "")}  lr {Format(r.LearningRate)}  elapsed {Format(r.Elapsed)}{eta}";
    }
}
