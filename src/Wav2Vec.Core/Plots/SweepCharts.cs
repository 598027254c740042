using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>One value of a sweep: a run's final metric at one setting of the swept field.</summary>
/// <param name="Series">Line it belongs to (e.g. <c>M = 10</c>, or the pre-trained model).</param>
/// <param name="X">The swept value (masking probability, codebook size, labelled minutes…).</param>
/// <param name="Y">The metric.</param>
public sealed record SweepValue(string Series, double X, double Y);

/// <summary>The values of one point of a curve over seeds: a metric of every seed of one series (an arm) at one setting.</summary>
/// <param name="Series">Line it belongs to (e.g. <c>pre-trained</c>).</param>
/// <param name="X">The setting (labelled minutes…).</param>
/// <param name="Values">The metric of each seed; the point is their mean, its error bar one sample standard deviation.</param>
public sealed record SweepValues(string Series, double X, IReadOnlyList<double> Values)
{
    /// <summary>Mean of <see cref="Values"/>.</summary>
    public double Mean => Values.Average();

    /// <summary>Sample standard deviation of <see cref="Values"/> (0 for one value).</summary>
    public double Std => SeedSpread.Std(Values);
}

/// <summary>The spread of a metric over seeds.</summary>
public static class SeedSpread
{
    /// <summary>Sample standard deviation (n − 1 in the denominator; 0 for fewer than two values).</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Mean ± sample standard deviation (n): <c>47.2 ± 1.9 (3)</c>, in percent when <paramref name="percent"/>.</summary>
    public static string Label(IReadOnlyList<double> values, bool percent)
    {
        var (mean, std) = (values.Average(), Std(values));
        return percent ? $"{100 * mean:0.0} ± {100 * std:0.0} ({values.Count})" : $"{mean:0.###} ± {std:0.###} ({values.Count})";
    }
}

/// <summary>The values of one bar: a metric over the seeds of one series (an arm) in one category (a language).</summary>
/// <param name="Series">Bar colour and legend entry (e.g. <c>English-pre-trained</c>).</param>
/// <param name="Category">Group on the x axis (e.g. <c>es</c>).</param>
/// <param name="Values">The metric of each seed; the bar is their mean, labelled mean ± sample standard deviation (n).</param>
public sealed record BarValues(string Series, string Category, IReadOnlyList<double> Values)
{
    /// <summary>Mean of <see cref="Values"/>.</summary>
    public double Mean => Values.Average();

    /// <summary>Sample standard deviation of <see cref="Values"/> (0 for one value).</summary>
    public double Std => SeedSpread.Std(Values);

    /// <summary>The bar's label: <c>47.2 ± 1.9 (3)</c>, in percent when <paramref name="percent"/>.</summary>
    public string Label(bool percent) => SeedSpread.Label(Values, percent);
}

/// <summary>
/// Charts of a metric against a swept setting, one line per series. Built here rather than in notebook cells:
/// the notebook kernel's script compiler does not unify Plotly.NET.CSharp's reference to an older Plotly.NET, so its
/// styling extension methods are not found there.
/// </summary>
public static class SweepCharts
{
    /// <summary>Lines with markers, points of each series in increasing <see cref="SweepValue.X"/>.</summary>
    /// <param name="values">The points; a series keeps its order of first appearance in the legend.</param>
    /// <param name="xTitle">The swept field.</param>
    /// <param name="yTitle">The metric.</param>
    /// <param name="logX">Logarithmic x axis (label budgets in minutes).</param>
    public static GenericChart Lines(IEnumerable<SweepValue> values, string xTitle, string yTitle, bool logX = false)
    {
        var lines = values.GroupBy(v => v.Series)
            .Select(g =>
            {
                var ordered = g.OrderBy(v => v.X).ToList();
                return CSharpChart.Line<double, double, string>(ordered.Select(v => v.X), ordered.Select(v => v.Y), Name: g.Key,
                    ShowMarkers: true, ShowLegend: true);
            })
            .ToList();
        return Plotted(lines, xTitle, yTitle, yTitle, logX);
    }

    /// <summary>
    /// Lines through the mean over seeds of each series, points in increasing <see cref="SweepValues.X"/>, each with an
    /// error bar of one sample standard deviation and a hover label mean ± std (n), so curves of arms over a budget show
    /// how far their seeds spread.
    /// </summary>
    /// <param name="values">The points; a series keeps its order of first appearance in the legend.</param>
    /// <param name="xTitle">The swept setting.</param>
    /// <param name="yTitle">The metric.</param>
    /// <param name="logX">Logarithmic x axis (label budgets in minutes).</param>
    /// <param name="percent">Rates shown in percent (0.472 → 47.2).</param>
    public static GenericChart MeanLines(IEnumerable<SweepValues> values, string xTitle, string yTitle, bool logX = false, bool percent = true)
    {
        double Scaled(double v) => percent ? 100 * v : v;
        var lines = values.GroupBy(v => v.Series)
            .Select(g =>
            {
                var ordered = g.OrderBy(v => v.X).ToList();
                var line = CSharpChart.Line<double, double, string>(ordered.Select(v => v.X), ordered.Select(v => Scaled(v.Mean)), Name: g.Key,
                    ShowMarkers: true, ShowLegend: true,
                    MultiText: new Optional<IEnumerable<string>>(ordered.Select(v => SeedSpread.Label(v.Values, percent)), true));
                var error = new Plotly.NET.TraceObjects.Error();   // Plotly's error_y: bar lengths from data, symmetric
                error.SetProperty("type", "data");
                error.SetProperty("array", ordered.Select(v => Scaled(v.Std)).ToArray());
                error.SetProperty("visible", true);
                return Plotly.NET.Chart.withYError(error).Invoke(line);
            })
            .ToList();
        return Plotted(lines, xTitle, yTitle, percent ? $"{yTitle} (%)" : yTitle, logX);
    }

    /// <summary>The lines on one chart with its axes and title (an empty line named after the metric when there are none).</summary>
    private static GenericChart Plotted(List<GenericChart> lines, string xTitle, string yTitle, string yAxisTitle, bool logX) =>
        (lines.Count == 0
            ? CSharpChart.Line<double, double, string>(Array.Empty<double>(), Array.Empty<double>(), Name: yTitle)
            : CSharpChart.Combine(lines))
        .WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
        .WithYAxisStyle<double, double, string>(TitleText: yAxisTitle)
        .WithTitle($"{yTitle} vs {xTitle}")
        .WithSize(640, 380);

    /// <summary>
    /// Grouped bars: one colour per series, one group per category (in order of first appearance), each bar the mean
    /// over its seeds and labelled mean ± standard deviation (n), so the spread between seeds is on the chart.
    /// </summary>
    /// <param name="bars">The bars.</param>
    /// <param name="yTitle">The metric.</param>
    /// <param name="percent">Rates shown in percent (0.472 → 47.2).</param>
    public static GenericChart Bars(IEnumerable<BarValues> bars, string yTitle, bool percent = true)
    {
        var all = bars.ToList();
        var categories = all.Select(b => b.Category).Distinct().ToList();
        var traces = all.GroupBy(b => b.Series)
            .Select(g =>
            {
                var ordered = g.OrderBy(b => categories.IndexOf(b.Category)).ToList();
                return CSharpChart.Column<double, string, string>(ordered.Select(b => percent ? 100 * b.Mean : b.Mean), Keys: new Optional<IEnumerable<string>>(ordered.Select(b => b.Category), true),
                    Name: g.Key, ShowLegend: true, MultiText: new Optional<IEnumerable<string>>(ordered.Select(b => b.Label(percent)), true));
            })
            .ToList();
        var chart = traces.Count == 0
            ? CSharpChart.Column<double, string, string>(Array.Empty<double>(), Keys: new Optional<IEnumerable<string>>([], true), Name: yTitle)
            : CSharpChart.Combine(traces);
        return chart
            .WithYAxisStyle<double, double, string>(TitleText: percent ? $"{yTitle} (%)" : yTitle)
            .WithTitle(yTitle)
            .WithSize(720, 400);
    }
}
