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
        public List<bool> Final { get; } = [];

        public void Show(GenericChart chart, bool final)
        {
            Shown.Add(chart);
            Final.Add(final);
        }
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
        Assert.Equal([false, true], view.Final);
    }

    [Fact]
    public void TheEndDrawsTheLastStateOnceMoreAsFinalEvenWhenATickShowedIt()
    {
        var clock = new HistoricalScheduler();
        var view = new RecordingView();
        var chart = new LiveChart([MetricNames.Loss], view, TimeSpan.FromSeconds(1), clock);
        foreach (var r in Reports.Curve("tiny", 10)) chart.OnNext(r);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        chart.OnCompleted();
        chart.Dispose();
        Assert.Equal([false, true], view.Final);
        Assert.Equal([10], PointsPerTrace(view.Shown[1]));
    }

    [Fact]
    public void ARunWithNoReportsDrawsNothing()
    {
        var view = new RecordingView();
        new LiveChart([MetricNames.Loss], view, TimeSpan.FromSeconds(1), new HistoricalScheduler()).OnCompleted();
        Assert.Empty(view.Shown);
    }

    sealed class SlowFirstView : IChartView
    {
        public ManualResetEventSlim FirstStarted { get; } = new();
        public List<GenericChart> Shown { get; } = [];

        public void Show(GenericChart chart, bool final)
        {
            if (!FirstStarted.IsSet)
            {
                FirstStarted.Set();
                Thread.Sleep(300);
            }
            lock (Shown) Shown.Add(chart);
        }
    }

    [Fact]
    public async Task ADrawInProgressNeverLandsAfterTheFinalOne()
    {
        var view = new SlowFirstView();
        var chart = new LiveChart([MetricNames.Loss], view, TimeSpan.FromMilliseconds(20));
        var reports = Reports.Curve("tiny", 20);
        foreach (var r in reports.Take(10)) chart.OnNext(r);
        Assert.True(view.FirstStarted.Wait(TimeSpan.FromSeconds(10)));
        // While the tick draws 10 reports, another thread adds more and the subscriber cancels (disposes).
        using var pushingStarted = new ManualResetEventSlim();
        var pushing = Task.Run(() =>
        {
            pushingStarted.Set();
            foreach (var r in reports.Skip(10)) chart.OnNext(r);
        });
        Assert.True(pushingStarted.Wait(TimeSpan.FromSeconds(10)));
        Thread.Sleep(150);
        chart.Dispose();
        await pushing;
        Thread.Sleep(400);
        Assert.True(view.Shown.Count >= 2);
        Assert.True(PointsPerTrace(view.Shown[^1]).Single() > 10, "the final chart was overwritten by an older snapshot");
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
