using System.Reactive.Linq;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Plots;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Interactive;

/// <summary>
/// Static PNG copies of charts, with a fake renderer standing in for headless Chromium (the mime bundle is what is
/// under test; <see cref="ChartImage"/> has its own tests).
/// </summary>
[Collection(FormatterTests.Collection)]
public sealed class StaticChartsTests : IDisposable
{
    static readonly byte[] FakePng = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
    int rendered;

    public StaticChartsTests() => Wav2VecKernelExtension.Register();

    public void Dispose() => StaticCharts.Use(null);

    byte[] Render(GenericChart chart)
    {
        Interlocked.Increment(ref rendered);
        return FakePng;
    }

    static GenericChart Chart() => TrainingCurves.Chart(Reports.Curve("a", 3), MetricNames.Loss);

    [Fact]
    public void WhenEnabledChartsCarryHtmlAndABase64PngInOneOutput()
    {
        StaticCharts.Use(Render);
        var chart = Chart();
        Assert.Equal(["text/html", "image/png"], Formatter.GetPreferredMimeTypesFor(chart.GetType()));
        Assert.Equal(Convert.ToBase64String(FakePng), chart.ToDisplayString(StaticCharts.PngMimeType));
        var formatted = StaticCharts.Format(chart, withImage: true);
        Assert.Equal(["text/html", "image/png"], formatted.Select(f => f.MimeType));
        Assert.Contains("window.Plotly.newPlot(", formatted[0].Value);
        Assert.Equal(["text/html"], StaticCharts.Format(chart, withImage: false).Select(f => f.MimeType));
    }

    [Fact]
    public void WhenOffChartsAreHtmlOnlyAndNothingIsRendered()
    {
        StaticCharts.Use(Render);
        StaticCharts.Use(null);
        var chart = Chart();
        Assert.Equal(["text/html"], Formatter.GetPreferredMimeTypesFor(chart.GetType()));
        Assert.Equal(["text/html"], StaticCharts.Format(chart, withImage: true).Select(f => f.MimeType));
        Assert.Equal(0, rendered);
        Assert.Contains(StaticCharts.Variable, Assert.Throws<InvalidOperationException>(() => StaticCharts.Base64Png(chart)).Message);
    }

    [Fact]
    public void ConfigureTurnsImagesOnOnlyWhenAskedForAndAChromiumExists()
    {
        Assert.Null(StaticCharts.Configure(null, "/usr/bin/chromium"));
        Assert.False(StaticCharts.Enabled);
        var missing = StaticCharts.Configure("1", null);
        Assert.False(StaticCharts.Enabled);
        Assert.Contains("no chromium", missing);
        Assert.Contains("HTML only", missing);
        Assert.Contains("/usr/bin/chromium", StaticCharts.Configure("1", "/usr/bin/chromium"));
        Assert.True(StaticCharts.Enabled);
        Assert.Null(StaticCharts.Configure("0", "/usr/bin/chromium"));
        Assert.False(StaticCharts.Enabled);
    }

    [Fact]
    public async Task ALiveChartRendersOneImageForItsFinalStateOnly()
    {
        StaticCharts.Use(Render);
        var reports = Reports.Curve("tiny", 30).ToObservable()
            .Zip(Observable.Interval(TimeSpan.FromMilliseconds(10)), (r, _) => r);
        var events = await KernelTests.RunCell(async () => await reports.ShowLiveChart([MetricNames.Loss], TimeSpan.FromMilliseconds(50)).LastAsync());

        var outputs = events.OfType<DisplayedValueProduced>().Select(e => e.FormattedValues)
            .Concat(events.OfType<DisplayedValueUpdated>().Select(e => e.FormattedValues)).ToList();
        Assert.True(outputs.Count >= 2, $"expected at least one tick and the final draw, got {outputs.Count} outputs");
        Assert.All(outputs[..^1], o => Assert.Equal(["text/html"], o.Select(f => f.MimeType)));
        Assert.Equal(["text/html", "image/png"], outputs[^1].Select(f => f.MimeType));
        Assert.Equal(Convert.ToBase64String(FakePng), outputs[^1].Single(f => f.MimeType == StaticCharts.PngMimeType).Value);
        Assert.Equal(1, rendered);
    }
}
