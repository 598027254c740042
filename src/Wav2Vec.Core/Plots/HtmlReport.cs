using System.Collections.Immutable;
using System.Net;
using Plotly.NET;
using Wav2Vec.Sinks;

namespace Wav2Vec.Plots;

/// <summary>
/// A self-contained HTML report: headings, text, tables, charts and audio players, with plotly.js embedded once
/// in the head, so the file opens offline and each chart costs only its data. Immutable: every <c>Add</c> returns
/// a new report.
/// <code>
/// new HtmlReport("quickstart")
///     .AddHeading("Pre-training")
///     .AddChart(TrainingCurves.Chart(reports, MetricNames.Loss))
///     .AddTable(["utterance", "reference", "hypothesis"], rows)
///     .Write("runs/quickstart/report.html");
/// </code>
/// </summary>
public sealed record HtmlReport(string Title)
{
    /// <summary>Body fragments in order.</summary>
    public ImmutableList<string> Sections { get; init; } = [];

    /// <summary>Adds a section heading.</summary>
    public HtmlReport AddHeading(string text) => Add($"<h2>{WebUtility.HtmlEncode(text)}</h2>");

    /// <summary>Adds a paragraph of text (encoded, not HTML).</summary>
    public HtmlReport AddText(string text) => Add($"<p>{WebUtility.HtmlEncode(text)}</p>");

    /// <summary>Adds preformatted text (command output, a config).</summary>
    public HtmlReport AddPreformatted(string text) => Add($"<pre>{WebUtility.HtmlEncode(text)}</pre>");

    /// <summary>Adds a chart.</summary>
    public HtmlReport AddChart(GenericChart chart) => Add(ChartHtml.Fragment(chart));

    /// <summary>Adds an audio player.</summary>
    public HtmlReport AddAudio(AudioClip clip) => Add(clip.ToHtml());

    /// <summary>Adds a table; every row must have one cell per header.</summary>
    public HtmlReport AddTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => Add(Table(headers, rows));

    /// <summary>Adds raw, trusted HTML.</summary>
    public HtmlReport Add(string html) => this with { Sections = Sections.Add(html) };

    /// <summary>The whole page.</summary>
    public string ToHtml() =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{WebUtility.HtmlEncode(Title)}</title>
        <style>body{"{"}font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #ccc;padding:0.2em 0.6em;text-align:left{"}"}</style>
        {PlotlyJs.ScriptTag}
        </head>
        <body>
        <h1>{WebUtility.HtmlEncode(Title)}</h1>
        {string.Join("\n", Sections)}
        </body>
        </html>
        """;

    /// <summary>Writes the page atomically (a viewer never sees half a report).</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, ToHtml());

    /// <summary>An HTML table with encoded cells; a row of the wrong width is an error naming its index.</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var body = rows.Select((row, i) => row.Count == headers.Count
            ? "<tr>" + string.Concat(row.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>")) + "</tr>"
            : throw new ArgumentException($"table row {i} has {row.Count} cells for {headers.Count} headers.", nameof(rows)));
        return "<table><tr>" + string.Concat(headers.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>")) + "</tr>" + string.Concat(body) + "</table>";
    }
}
