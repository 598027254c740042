using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Wav2Vec.Interactive;

/// <summary>
/// One output of the notebook cell that created it, replaced in place on every <see cref="Show"/>.
/// In Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 <c>display(x).Update(y)</c> sends an id that does not
/// match the displayed one, so this uses <see cref="KernelInvocationContextExtensions.Display"/>, whose
/// <see cref="DisplayedValue.Update"/> works, live and from background threads.
/// </summary>
public sealed class NotebookChartView : IChartView
{
    readonly KernelInvocationContext context;
    readonly object gate = new();
    DisplayedValue? displayed;

    /// <summary>A view on the output of the given cell invocation.</summary>
    public NotebookChartView(KernelInvocationContext context) => this.context = context;

    /// <summary>A view on the running cell; the error says so when called outside a notebook cell.</summary>
    public static NotebookChartView ForCurrentCell() =>
        new(KernelInvocationContext.Current
            ?? throw new InvalidOperationException("A live chart needs a running notebook cell (KernelInvocationContext.Current is null); outside notebooks use ShowProgress or the metric logs."));

    /// <inheritdoc />
    public void Show(GenericChart chart)
    {
        lock (gate)
        {
            if (displayed is null) displayed = context.Display(chart, HtmlFormatter.MimeType);
            else displayed.Update(chart);
        }
    }
}
