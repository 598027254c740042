using System.Net;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Wav2Vec.Diagnostics;

namespace Wav2Vec.Interactive;

/// <summary>
/// Kernel extension for notebooks: registers HTML formatters for the library's records.
/// Call <see cref="Register"/> from a notebook's setup cell (or let the kernel load it as an extension).
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
        Formatter.Register<DoctorReport>((report, writer) => writer.Write(DoctorHtml(report)), HtmlFormatter.MimeType);
    }

    /// <summary>The doctor report as an HTML table.</summary>
    public static string DoctorHtml(DoctorReport report) =>
        "<table><tr><th>check</th><th>found</th><th></th></tr>" +
        string.Concat(report.Checks.Select(c =>
            $"<tr><td>{WebUtility.HtmlEncode(c.Name)}</td><td>{WebUtility.HtmlEncode(c.Value)}</td>" +
            $"<td>{(c.Healthy ? "ok" : "<b style=\"color:#c00\">problem</b>")}</td></tr>")) +
        "</table>";
}
