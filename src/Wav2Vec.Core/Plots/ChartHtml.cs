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
    /// <param name="chart">The chart.</param>
    /// <param name="id">Element id (default: a fresh one).</param>
    /// <param name="staticPlot">No hover, zoom or toolbar: for images.</param>
    public static string Fragment(GenericChart chart, string? id = null, bool staticPlot = false)
    {
        id ??= "wav2vec-chart-" + Guid.NewGuid().ToString("N")[..12];
        var figure = FigureJson(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}"></div>
            <script type="text/javascript">(function () {
              var figure = {{figure}};
              function draw() {
                if (!window.Plotly) { setTimeout(draw, 50); return; }
                var config = Object.assign({ responsive: true }, figure.config, {{(staticPlot ? "{ staticPlot: true, displayModeBar: false }" : "{}")}});
                window.Plotly.newPlot("{{id}}", figure.data, figure.layout, config);
              }
              draw();
            })();</script>
            """);
    }
}
