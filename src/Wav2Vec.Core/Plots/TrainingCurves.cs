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
    /// <param name="showLegend">Show the run names (off for all but one panel of a <see cref="Grid"/>).</param>
    public static GenericChart Chart(IEnumerable<StepReport> reports, string metric, bool logY = false, bool showLegend = true)
    {
        var all = reports.ToList();
        var colours = RunColours(all);
        var lines = Series(all, metric)
            .Select(s => CSharpChart.Line<long, double, string>(s.Steps, s.Values, Name: s.Name, ShowLegend: showLegend,
                LineColor: Color.fromString(colours[s.Name])))
            .ToList();
        return StepChart(lines, metric, logY);
    }

    /// <summary>
    /// <paramref name="lines"/> in one 720 × 400 chart against the step, titled <paramref name="title"/> (also the y
    /// axis title); an empty line of that name when there are none, so a chart always renders.
    /// </summary>
    public static GenericChart StepChart(IReadOnlyList<GenericChart> lines, string title, bool logY = false)
    {
        var chart = lines.Count == 0
            ? CSharpChart.Line<long, double, string>(Array.Empty<long>(), Array.Empty<double>(), Name: title)
            : CSharpChart.Combine(lines);
        return chart
            .WithXAxisStyle<double, double, string>(TitleText: "step")
            .WithYAxisStyle<double, double, string>(TitleText: title, AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithTitle(title)
            .WithSize(720, 400);
    }

    /// <summary>One chart per metric, stacked in a grid with <paramref name="columns"/> columns.</summary>
    public static GenericChart Grid(IEnumerable<StepReport> reports, IReadOnlyList<string> metrics, int columns = 2)
    {
        var all = reports.ToList();
        var rows = (metrics.Count + columns - 1) / columns;
        return CSharpChart.Grid(metrics.Select((m, i) => Chart(all, m, showLegend: i == 0)), rows, columns, SubPlotTitles: metrics.ToArray())
            .WithTitle(string.Join(" · ", metrics))
            .WithSize(420 * columns, 320 * rows);
    }

    /// <summary>plotly's default colour sequence, used so a run keeps its colour in every panel and chart.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52"];

    /// <summary>A colour per series name, in order of first appearance of the run.</summary>
    static Dictionary<string, string> RunColours(IReadOnlyList<StepReport> reports)
    {
        var names = reports.Select(r => r.Run).Distinct().ToList();
        var colours = new Dictionary<string, string>();
        foreach (var r in reports)
        {
            var colour = Palette[names.IndexOf(r.Run) % Palette.Count];
            colours.TryAdd(r.Run, colour);
            colours.TryAdd($"{r.Run} {StepReport.PhaseName(r.Phase)}", colour);
        }
        return colours;
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
