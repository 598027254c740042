using Plotly.NET;
using Plotly.NET.CSharp;
using Wav2Vec.Experiments;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>Training curves: a metric against the step, one line per run (and phase, when a run has several).</summary>
public static class TrainingCurves
{
    /// <summary>
    /// <paramref name="metric"/> against step for every run in <paramref name="reports"/>; reports lacking the metric
    /// are skipped, so pre-training and evaluation reports can be passed together.
    /// </summary>
    /// <param name="reports">Reports of one or several runs, in any order.</param>
    /// <param name="metric">Metric name, e.g. <see cref="MetricNames.Loss"/>.</param>
    /// <param name="logY">Logarithmic y axis (losses over long runs).</param>
    public static GenericChart Chart(IEnumerable<StepReport> reports, string metric, bool logY = false)
    {
        var lines = Series(reports, metric)
            .Select(s => CSharpChart.Line<long, double, string>(s.Steps, s.Values, Name: s.Name, ShowLegend: true))
            .ToList();
        var chart = lines.Count == 0
            ? CSharpChart.Line<long, double, string>(Array.Empty<long>(), Array.Empty<double>(), Name: metric)
            : CSharpChart.Combine(lines);
        return chart
            .WithXAxisStyle<double, double, string>(TitleText: "step")
            .WithYAxisStyle<double, double, string>(TitleText: metric, AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithTitle(metric)
            .WithSize(720, 400);
    }

    /// <summary>One chart per metric, stacked in a grid with <paramref name="columns"/> columns.</summary>
    public static GenericChart Grid(IEnumerable<StepReport> reports, IReadOnlyList<string> metrics, int columns = 2)
    {
        var all = reports.ToList();
        var rows = (metrics.Count + columns - 1) / columns;
        return CSharpChart.Grid(metrics.Select(m => Chart(all, m).WithYAxisStyle<double, double, string>(TitleText: m)), rows, columns)
            .WithSize(420 * columns, 320 * rows);
    }

    /// <summary>A named series of (step, value) points.</summary>
    public sealed record Curve(string Name, IReadOnlyList<long> Steps, IReadOnlyList<double> Values);

    /// <summary>The points of <paramref name="metric"/> grouped by run (and phase when one run has several), in step order.</summary>
    public static IReadOnlyList<Curve> Series(IEnumerable<StepReport> reports, string metric)
    {
        var withMetric = reports.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        var phasesPerRun = withMetric.GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Select(r => r.Phase).Distinct().Count());
        return withMetric
            .GroupBy(r => phasesPerRun[r.Run] > 1 ? $"{r.Run} {StepReport.PhaseName(r.Phase)}" : r.Run)
            .Select(g =>
            {
                var ordered = g.OrderBy(r => r.Step).ToList();
                return new Curve(g.Key, ordered.Select(r => r.Step).ToList(), ordered.Select(r => r.Metrics[metric]).ToList());
            })
            .ToList();
    }
}
