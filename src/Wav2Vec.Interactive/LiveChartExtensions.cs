using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Interactive;

/// <summary>The notebook sink as a pass-through Rx operator.</summary>
public static class LiveChartExtensions
{
    /// <summary>
    /// Shows one chart of <paramref name="metrics"/> in the running notebook cell and updates it in place at most
    /// once per <paramref name="interval"/> (default 1 s) while reports flow through:
    /// <code>await experiment.Run().ShowLiveChart("loss", "perplexity").LastAsync();</code>
    /// Subscribe from the cell (as <c>await</c> does): the chart belongs to the cell that subscribed.
    /// </summary>
    public static IObservable<StepReport> ShowLiveChart(this IObservable<StepReport> reports, IReadOnlyList<string> metrics, TimeSpan? interval = null) =>
        reports.Through(() => new LiveChart(metrics, NotebookChartView.ForCurrentCell(), interval ?? TimeSpan.FromSeconds(1)));

    /// <inheritdoc cref="ShowLiveChart(IObservable{StepReport}, IReadOnlyList{string}, TimeSpan?)"/>
    public static IObservable<StepReport> ShowLiveChart(this IObservable<StepReport> reports, params string[] metrics) =>
        reports.ShowLiveChart(metrics, null);
}
