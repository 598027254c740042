using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>Scatter plots of 2-D projections (PCA, t-SNE) of representations.</summary>
public static class Scatters
{
    /// <summary>
    /// Points coloured by label: one trace per distinct label (in order of first appearance), so the legend
    /// toggles a letter's points on and off.
    /// </summary>
    /// <param name="points">[N] 2-D coordinates.</param>
    /// <param name="labels">[N] label of each point (e.g. the letter a frame was aligned to).</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart Embeddings(IReadOnlyList<(double X, double Y)> points, IReadOnlyList<string> labels, string title = "embeddings")
    {
        if (points.Count != labels.Count)
            throw new ArgumentException($"{points.Count} points but {labels.Count} labels: each point needs one label.", nameof(labels));
        var traces = points.Zip(labels)
            .GroupBy(p => p.Second)
            .Select(g => CSharpChart.Point<double, double, string>(g.Select(p => p.First.X), g.Select(p => p.First.Y), Name: g.Key, ShowLegend: true))
            .ToList();
        var chart = traces.Count == 0
            ? CSharpChart.Point<double, double, string>(Array.Empty<double>(), Array.Empty<double>(), Name: title)
            : CSharpChart.Combine(traces);
        return chart.WithTitle(title).WithSize(640, 560);
    }
}
