using System.Globalization;
using Plotly.NET;

namespace Wav2Vec.Plots;

/// <summary>
/// One chart as an HTML fragment that draws itself with the page's <c>window.Plotly</c> (see <see cref="PlotlyJs"/>),
/// waiting for it if plotly.js is still loading. Plotly.NET's own <c>toChartHTML</c> assumes a CDN or require.js;
/// this fragment assumes neither.
/// </summary>
public static class ChartHtml
{
    /// <summary>The chart's figure (data, layout, config) as plotly.js JSON.</summary>
    public static string FigureJson(GenericChart chart) => GenericChart.toJson(chart);

    /// <summary>A <c>div</c> with a fresh id plus the script that plots the chart into it.</summary>
    public static string Fragment(GenericChart chart, string? id = null)
    {
        id ??= "wav2vec-chart-" + Guid.NewGuid().ToString("N")[..12];
        var figure = FigureJson(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}"></div>
            <script type="text/javascript">(function () {
              var figure = {{figure}};
              function draw() {
                if (!window.Plotly) { setTimeout(draw, 50); return; }
                window.Plotly.newPlot("{{id}}", figure.data, figure.layout, figure.config || { responsive: true });
              }
              draw();
            })();</script>
            """);
    }
}
