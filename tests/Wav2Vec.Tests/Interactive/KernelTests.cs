using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Interactive;

/// <summary>Runs sinks inside a real in-process kernel invocation, as a notebook cell would.</summary>
[Collection(FormatterTests.Collection)]
public class KernelTests
{
    /// <summary>A kernel whose "code" is a C# delegate: the invocation context is real, no compiler needed.</summary>
    sealed class DelegateKernel(Func<Task> cell) : Kernel("delegate"), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context) => cell();
    }

    internal static async Task<IReadOnlyList<KernelEvent>> RunCell(Func<Task> cell)
    {
        using var kernel = new DelegateKernel(cell);
        var result = await kernel.SendAsync(new SubmitCode("cell"));
        Assert.DoesNotContain(result.Events, e => e is CommandFailed);
        return result.Events;
    }

    [Fact]
    public async Task LiveChartDisplaysOneOutputAndUpdatesItInPlace()
    {
        Wav2VecKernelExtension.Register();
        var reports = Reports.Curve("tiny", 40).ToObservable()
            .Zip(Observable.Interval(TimeSpan.FromMilliseconds(10)), (r, _) => r);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var events = await RunCell(async () => await reports.ShowLiveChart([MetricNames.Loss], TimeSpan.FromMilliseconds(100)).LastAsync());
        var ticks = (int)(clock.Elapsed.TotalMilliseconds / 100);

        var produced = Assert.Single(events.OfType<DisplayedValueProduced>());
        var updates = events.OfType<DisplayedValueUpdated>().ToList();
        Assert.NotEmpty(updates);
        // Throttled: at most one update per 100 ms tick (plus the final draw), never one per report (40).
        Assert.InRange(updates.Count, 1, Math.Min(ticks + 2, 39));
        Assert.All(updates, u => Assert.Equal(produced.ValueId, u.ValueId));
        var last = updates[^1].FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.Contains("window.Plotly.newPlot(", last);
        Assert.Contains("\"x\":[1,2,3", last);
        Assert.Contains(",40]", last);
    }

    [Fact]
    public async Task SetupDisplaysPlotlyJsInTheCellOutput()
    {
        var events = await RunCell(() =>
        {
            Wav2VecKernelExtension.Setup();
            return Task.CompletedTask;
        });
        var html = Assert.Single(events.OfType<DisplayedValueProduced>()).FormattedValues.Single().Value;
        Assert.Contains(Wav2Vec.Plots.PlotlyJs.Banner, html);
    }
}
