using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>One value of a sweep: a run's final metric at one setting of the swept field.</summary>
/// <param name="Series">Line it belongs to (e.g. <c>M = 10</c>, or the pre-trained model).</param>
/// <param name="X">The swept value (masking probability, codebook size, labelled minutes…).</param>
/// <param name="Y">The metric.</param>
public sealed record SweepValue(string Series, double X, double Y);

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
        var chart = lines.Count == 0
            ? CSharpChart.Line<double, double, string>(Array.Empty<double>(), Array.Empty<double>(), Name: yTitle)
            : CSharpChart.Combine(lines);
        return chart
            .WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithTitle($"{yTitle} vs {xTitle}")
            .WithSize(640, 380);
    }
}
