using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Plotly.NET;
using Wav2Vec.Experiments;
using Wav2Vec.Plots;

namespace Wav2Vec.Interactive;

/// <summary>
/// A sink that keeps one chart of training curves up to date while a run goes: every report is recorded,
/// but the chart is redrawn at most once per interval (Rx <c>Sample</c>), and once more at the end (marked final,
/// so the view can add a static image of the finished chart), so a notebook gets one live chart rather than one per
/// step. Memory stays bounded: past <see cref="MaxReports"/> reports, every other older report is dropped (the
/// curve's shape survives).
/// Use through <c>ShowLiveChart</c> (<see cref="LiveChartExtensions"/>).
/// </summary>
public sealed class LiveChart : IObserver<StepReport>, IDisposable
{
    /// <summary>Reports kept for drawing before thinning.</summary>
    public const int MaxReports = 4000;

    readonly IReadOnlyList<string> metrics;
    readonly IChartView view;
    readonly Subject<Unit> changes = new();
    readonly IDisposable sampling;
    readonly object gate = new();
    readonly object drawing = new();
    List<StepReport> reports = [];
    bool drawn = true;
    int disposed;

    /// <summary>A live chart of <paramref name="metrics"/> (one panel each) drawn on <paramref name="view"/>.</summary>
    /// <param name="metrics">Metric names to plot; at least one.</param>
    /// <param name="view">Where to draw (a notebook output, or a test double).</param>
    /// <param name="interval">Shortest time between redraws.</param>
    /// <param name="scheduler">Clock for the interval (tests pass a virtual one).</param>
    public LiveChart(IReadOnlyList<string> metrics, IChartView view, TimeSpan interval, IScheduler? scheduler = null)
    {
        if (metrics.Count == 0) throw new ArgumentException("a live chart needs at least one metric name.", nameof(metrics));
        this.metrics = metrics;
        this.view = view;
        sampling = changes.Sample(interval, scheduler ?? DefaultScheduler.Instance).Subscribe(_ => Draw(final: false));
    }

    /// <summary>Number of redraws so far.</summary>
    public int Redraws { get; private set; }

    /// <inheritdoc />
    public void OnNext(StepReport value)
    {
        if (Volatile.Read(ref disposed) == 1) return;
        lock (gate)
        {
            reports.Add(value);
            if (reports.Count > MaxReports) reports = Thin(reports);
            drawn = false;
        }
        changes.OnNext(Unit.Default);
    }

    /// <inheritdoc />
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <summary>Stops sampling and draws the final state (once more even when a tick showed it already), if any report came.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        sampling.Dispose();
        Draw(final: true);
    }

    /// <summary>The chart for the given reports: one panel per metric, one line per run.</summary>
    public static GenericChart Chart(IReadOnlyList<StepReport> reports, IReadOnlyList<string> metrics) =>
        metrics.Count == 1 ? TrainingCurves.Chart(reports, metrics[0]) : TrainingCurves.Grid(reports, metrics);

    /// <summary>Drops every other report except the newest half, halving the list.</summary>
    public static List<StepReport> Thin(List<StepReport> reports)
    {
        var half = reports.Count / 2;
        return reports.Take(half).Where((_, i) => i % 2 == 0).Concat(reports.Skip(half)).ToList();
    }

    void Draw(bool final)
    {
        // One draw at a time: a sampling tick still drawing an older snapshot must not land after the final draw.
        lock (drawing)
        {
            List<StepReport> snapshot;
            lock (gate)
            {
                if ((drawn && !final) || reports.Count == 0) return;
                drawn = true;
                snapshot = [.. reports];
            }
            view.Show(Chart(snapshot, metrics), final);
            Redraws++;
        }
    }
}
