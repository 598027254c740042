using System.Globalization;
using System.Net;
using Plotly.NET;
using Wav2Vec.Tools.Diagnostics;
using Wav2Vec.Experiments;
using Wav2Vec.Plots;
using Wav2Vec.Sinks;

namespace Wav2Vec.Interactive;

/// <summary>The HTML the notebook formatters emit, as pure functions (tested without a kernel).</summary>
public static class NotebookHtml
{
    static int plotlyJsSent;

    /// <summary>
    /// plotly.js the first time it is asked for in this kernel process, then an empty string: a notebook
    /// carries the 3.6 MB library once (in the setup cell's output, or with the first chart).
    /// </summary>
    public static string PlotlyJsOnce() => Interlocked.Exchange(ref plotlyJsSent, 1) == 0 ? PlotlyJs.ScriptTag : "";

    /// <summary>Forgets that plotly.js was sent (a new notebook in the same process, or tests).</summary>
    public static void ResetPlotlyJs() => Interlocked.Exchange(ref plotlyJsSent, 0);

    /// <summary>A chart fragment, preceded by plotly.js if this kernel has not sent it yet.</summary>
    public static string Chart(GenericChart chart) => PlotlyJsOnce() + ChartHtml.Fragment(chart);

    /// <summary>Reports as a table: fixed columns, then the union of their metrics in name order (empty when absent).</summary>
    public static string StepReports(IEnumerable<StepReport> reports)
    {
        var list = reports.ToList();
        var metrics = list.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var headers = new[] { "run", "phase", "step", "epoch", "elapsed", "lr" }.Concat(metrics).Append("checkpoint").ToList();
        var rows = list.Select(r => (IReadOnlyList<string>)new[]
        {
            r.Run, StepReport.PhaseName(r.Phase), r.TotalSteps is { } t ? $"{r.Step}/{t}" : r.Step.ToString(CultureInfo.InvariantCulture),
            r.Epoch.ToString(CultureInfo.InvariantCulture), ProgressText.Format(r.Elapsed), ProgressText.Format(r.LearningRate),
        }.Concat(metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? ProgressText.Format(v) : "")).Append(r.Checkpoint ?? "").ToList());
        return HtmlReport.Table(headers, rows);
    }

    /// <summary>The doctor report as a table with problems in red.</summary>
    public static string Doctor(DoctorReport report) =>
        "<table><tr><th>check</th><th>found</th><th></th></tr>" +
        string.Concat(report.Checks.Select(c =>
            $"<tr><td>{WebUtility.HtmlEncode(c.Name)}</td><td>{WebUtility.HtmlEncode(c.Value)}</td>" +
            $"<td>{(c.Healthy ? "ok" : "<b style=\"color:#c00\">problem</b>")}</td></tr>")) +
        "</table>";
}
