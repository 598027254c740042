using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>Heatmaps for matrices the framework inspects: codebook usage and attention maps.</summary>
public static class Heatmaps
{
    /// <summary>
    /// A matrix as a heatmap, row 0 at the top.
    /// </summary>
    /// <param name="values">[rows, columns] values.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">Column axis title.</param>
    /// <param name="yTitle">Row axis title.</param>
    /// <param name="xLabels">Optional labels for the columns (length = columns).</param>
    /// <param name="yLabels">Optional labels for the rows (length = rows).</param>
    public static GenericChart Matrix(double[,] values, string title, string xTitle, string yTitle,
        IReadOnlyList<string>? xLabels = null, IReadOnlyList<string>? yLabels = null)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (xLabels is not null && xLabels.Count != columns)
            throw new ArgumentException($"{xLabels.Count} column labels for a matrix with {columns} columns.", nameof(xLabels));
        if (yLabels is not null && yLabels.Count != rows)
            throw new ArgumentException($"{yLabels.Count} row labels for a matrix with {rows} rows.", nameof(yLabels));
        var z = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => values[r, c]).ToArray()).ToArray();
        var x = xLabels ?? Enumerable.Range(0, columns).Select(i => i.ToString()).ToList();
        var y = yLabels ?? Enumerable.Range(0, rows).Select(i => i.ToString()).ToList();
        return CSharpChart.Heatmap<double, string, string, string>(z, X: x.ToArray(), Y: y.ToArray(), ReverseYAxis: true)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithTitle(title)
            .WithSize(Math.Clamp(60 + 12 * columns, 420, 1100), Math.Clamp(100 + 14 * rows, 300, 900));
    }

    /// <summary>
    /// Codebook usage: how often each entry was chosen, per group — the picture behind the perplexity metric
    /// (paper §3.2, eq. 4: diversity pushes towards uniform use).
    /// </summary>
    /// <param name="counts">[groups G, entries V] selection counts or probabilities.</param>
    public static GenericChart CodebookUsage(double[,] counts) =>
        Matrix(counts, "codebook usage", "entry", "group");

    /// <summary>One attention head's weights.</summary>
    /// <param name="weights">[query frame, key frame] attention probabilities.</param>
    /// <param name="title">Title, e.g. <c>layer 3 head 2</c>.</param>
    public static GenericChart Attention(double[,] weights, string title = "attention") =>
        Matrix(weights, title, "key frame", "query frame");
}
