using System.Text.RegularExpressions;
using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Plots;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Interactive;

/// <summary>The PNG export behind static chart images: the page it screenshots and the browser it needs.</summary>
public class ChartImageTests
{
    static int Count(string text, string needle) => Regex.Matches(text, Regex.Escape(needle)).Count;

    [Fact]
    public void PngExportScreenshotsAPageHoldingOnlyTheChartAtItsLayoutSize()
    {
        var chart = TrainingCurves.Chart(Reports.Curve("a", 3), MetricNames.Loss);
        Assert.Equal((720, 400), ChartImage.Size(chart));
        var page = ChartImage.Page(chart);
        Assert.Equal(1, Count(page, PlotlyJs.Banner));
        Assert.Equal(1, Count(page, "window.Plotly.newPlot("));
        Assert.Contains("staticPlot: true", page);
        var args = ChartImage.BrowserArguments("/tmp/c d/chart.html", "/tmp/c d/chart.png", 720, 400);
        Assert.Equal(["--headless", "--no-sandbox"], args.Take(2));
        Assert.Contains("--window-size=720,400", args);
        Assert.Contains("--screenshot=/tmp/c d/chart.png", args);
        Assert.Equal("file:///tmp/c%20d/chart.html", args[^1]);
    }

    [Fact]
    public void PngExportWithoutABrowserNamesTheImageAndTheBrowser()
    {
        var target = Path.Combine(Reports.TempFolder(), "loss.png");
        var error = Assert.Throws<FileNotFoundException>(() =>
            ChartImage.WritePng(TrainingCurves.Chart(Reports.Curve("a", 3), MetricNames.Loss), target, "/nonexistent/chromium"));
        Assert.Contains("/nonexistent/chromium", error.Message);
        Assert.False(File.Exists(target));
    }
}
