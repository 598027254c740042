using System.Net;
using System.Runtime.Loader;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using Wav2Vec.Tools.Diagnostics;
using Wav2Vec.Experiments;
using Wav2Vec.Plots;

namespace Wav2Vec.Interactive;

/// <summary>
/// Kernel extension for notebooks: HTML formatters for step reports and <see cref="Table"/>s (tables), Plotly
/// charts (drawn with plotly.js embedded once per notebook, so they render offline, plus an opt-in PNG copy:
/// <see cref="StaticCharts"/>), audio clips (players) and the doctor report.
/// Notebooks call <see cref="Setup"/> from the shared prelude (<c>notebooks/setup.csx</c>).
/// </summary>
public sealed class Wav2VecKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        Register();
        return Task.CompletedTask;
    }

    /// <summary>Registers every formatter; idempotent.</summary>
    public static void Register()
    {
        Formatter.Register<DoctorReport>((report, writer) => writer.Write(NotebookHtml.Doctor(report)), HtmlFormatter.MimeType);
        Formatter.Register<StepReport>((report, writer) => writer.Write(NotebookHtml.StepReports([report])), HtmlFormatter.MimeType);
        Formatter.Register<IEnumerable<StepReport>>((reports, writer) => writer.Write(NotebookHtml.StepReports(reports)), HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(NotebookHtml.Chart(chart)), HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(StaticCharts.Base64Png(chart)), StaticCharts.PngMimeType);
        Formatter.Register<AudioClip>((clip, writer) => writer.Write(clip.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Table>((table, writer) => writer.Write(table.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<HtmlReport>((report, writer) => writer.Write(string.Concat(report.Sections)), HtmlFormatter.MimeType);
    }

    static int unified;

    /// <summary>
    /// Makes every request for TorchSharp, whatever version, resolve to the library's own copy. The kernel's
    /// script engine loads <c>#r</c> assemblies into its own load context; TorchSharp.PyBridge 1.4.4 (built against
    /// TorchSharp 0.103) then lands in the default context, which has no TorchSharp, and its 0.103 reference would
    /// load TorchSharp.dll a second time, so checkpoint loading failed with <c>MissingMethodException</c>
    /// (<c>Safetensors.LoadStateDict</c> returning the other copy's <c>Tensor</c>). Idempotent.
    /// </summary>
    public static void UnifyTorchSharp()
    {
        if (Interlocked.Exchange(ref unified, 1) == 1) return;
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        AssemblyLoadContext.Default.Resolving += (_, name) => name.Name == torchSharp.GetName().Name ? torchSharp : null;
    }

    /// <summary>
    /// The notebook prelude's one call: registers the formatters, turns static chart images on when
    /// <see cref="StaticCharts.Variable"/> asks for them and, when running in a kernel, displays plotly.js once (so
    /// every later chart, even one replaced in place by a live update, finds it) with a status line.
    /// </summary>
    public static void Setup()
    {
        Register();
        UnifyTorchSharp();
        var images = StaticCharts.Configure(Environment.GetEnvironmentVariable(StaticCharts.Variable), ChartImage.FindBrowser());
        if (KernelInvocationContext.Current is not { } context) return;
        NotebookHtml.ResetPlotlyJs();
        var folder = WebUtility.HtmlEncode(Path.GetDirectoryName(typeof(Wav2VecKernelExtension).Assembly.Location));
        var status = $"<div>wav2vec notebook library loaded from <code>{folder}</code>; charts render offline (plotly.js {PlotlyJs.Version} embedded).</div>" +
                     (images is null ? "" : $"<div>{WebUtility.HtmlEncode(images)}</div>");
        context.Display(new HtmlString(status + NotebookHtml.PlotlyJsOnce()), HtmlFormatter.MimeType);
    }
}
