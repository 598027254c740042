using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Plotly.NET;

namespace Wav2Vec.Interactive;

/// <summary>
/// One output of the notebook cell that created it, replaced in place on every <see cref="Show"/>: HTML while the run
/// goes, plus a static PNG copy of the final chart when <see cref="StaticCharts"/> are on.
/// In Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 <c>display(x).Update(y)</c> sends an id that does not match
/// the displayed one, and a <c>DisplayedValue</c> keeps the mime types it was created with, so this view
/// publishes the display events itself under one id of its own (which works live and from background threads).
/// </summary>
public sealed class NotebookChartView : IChartView
{
    readonly KernelInvocationContext context;
    readonly string id = Guid.NewGuid().ToString("N");
    readonly object gate = new();
    bool shown;

    /// <summary>A view on the output of the given cell invocation.</summary>
    public NotebookChartView(KernelInvocationContext context) => this.context = context;

    /// <summary>A view on the running cell; the error says so when called outside a notebook cell.</summary>
    public static NotebookChartView ForCurrentCell() =>
        new(KernelInvocationContext.Current
            ?? throw new InvalidOperationException("A live chart needs a running notebook cell (KernelInvocationContext.Current is null); outside notebooks use ShowProgress or the metric logs."));

    /// <inheritdoc />
    public void Show(GenericChart chart, bool final)
    {
        lock (gate)
        {
            var formatted = StaticCharts.Format(chart, withImage: final);
            context.Publish(shown
                ? new DisplayedValueUpdated(chart, id, context.Command, formatted)
                : new DisplayedValueProduced(chart, context.Command, formatted, id));
            shown = true;
        }
    }
}
