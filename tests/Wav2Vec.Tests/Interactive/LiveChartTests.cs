using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Plotly.NET;
using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Interactive;

public class LiveChartTests
{
    sealed class RecordingView : IChartView
    {
        public List<GenericChart> Shown { get; } = [];
        public void Show(GenericChart chart) => Shown.Add(chart);
    }

    static int[] PointsPerTrace(GenericChart chart) =>
        GenericChart.getTraces(chart).Select(t => ((System.Collections.IEnumerable)t.GetPropertyValue("x")).Cast<object>().Count()).ToArray();

    [Fact]
    public void RedrawsAtMostOncePerIntervalAndOnceMoreAtTheEnd()
    {
        var clock = new HistoricalScheduler();
        var view = new RecordingView();
        var chart = new LiveChart([MetricNames.Loss], view, TimeSpan.FromSeconds(1), clock);
        var reports = Reports.Curve("tiny", 50);
        foreach (var r in reports.Take(30)) chart.OnNext(r);
        Assert.Empty(view.Shown);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Single(view.Shown);
        Assert.Equal([30], PointsPerTrace(view.Shown[0]));
        clock.AdvanceBy(TimeSpan.FromSeconds(5));
        Assert.Single(view.Shown);
        foreach (var r in reports.Skip(30)) chart.OnNext(r);
        chart.OnCompleted();
        Assert.Equal(2, view.Shown.Count);
        Assert.Equal([50], PointsPerTrace(view.Shown[1]));
    }

    [Fact]
    public void SeveralMetricsAndRunsShareOneChart()
    {
        var view = new RecordingView();
        using (var chart = new LiveChart([MetricNames.Loss, MetricNames.Perplexity], view, TimeSpan.FromHours(1)))
            foreach (var r in Reports.Curve("a", 5).Concat(Reports.Curve("b", 3))) chart.OnNext(r);
        Assert.Equal([5, 3, 5, 3], PointsPerTrace(Assert.Single(view.Shown)));
    }

    [Fact]
    public void ThinningKeepsTheNewestHalfAndBoundsMemory()
    {
        var reports = Reports.Curve("a", 10).ToList();
        Assert.Equal([1L, 3, 5, 6, 7, 8, 9, 10], LiveChart.Thin(reports).Select(r => r.Step));
        var view = new RecordingView();
        using (var chart = new LiveChart([MetricNames.Loss], view, TimeSpan.FromHours(1)))
            foreach (var r in Reports.Curve("a", 3 * LiveChart.MaxReports)) chart.OnNext(r);
        var points = PointsPerTrace(Assert.Single(view.Shown)).Single();
        Assert.InRange(points, LiveChart.MaxReports / 2, LiveChart.MaxReports);
    }

    [Fact]
    public void OutsideANotebookTheErrorSaysALiveChartNeedsACell()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Observable.Empty<StepReport>().ShowLiveChart("loss").Wait());
        Assert.Contains("notebook cell", error.Message);
    }
}
