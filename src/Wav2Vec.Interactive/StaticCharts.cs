using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using Wav2Vec.Plots;

namespace Wav2Vec.Interactive;

/// <summary>
/// Opt-in PNG copies of notebook charts, for notebooks committed with their outputs: a code-hosting site's preview
/// and other static viewers run no JavaScript, so a plotly chart shows there only as an <c>image/png</c> beside its
/// <c>text/html</c> in the same output (Jupyter and VS Code show the richer HTML, static viewers the image).
/// Off by default, since every image costs a headless Chromium start; <see cref="Variable"/>=1 (set by
/// <c>./wav2vec notebooks run --in-place</c>) turns it on.
/// </summary>
public static class StaticCharts
{
    /// <summary>Environment variable that asks for PNG copies: <c>1</c> turns them on.</summary>
    public const string Variable = Tools.Notebooks.NotebookPaths.StaticChartsVariable;

    /// <summary>Mime type of the PNG copy (base64 text, as Jupyter stores images).</summary>
    public const string PngMimeType = "image/png";

    static Func<GenericChart, byte[]>? renderer;

    /// <summary>Whether charts currently get a PNG copy.</summary>
    public static bool Enabled => Volatile.Read(ref renderer) is not null;

    /// <summary>The mime types a chart output carries: HTML, plus PNG when enabled.</summary>
    public static string[] MimeTypes => Enabled ? [HtmlFormatter.MimeType, PngMimeType] : [HtmlFormatter.MimeType];

    /// <summary>
    /// Turns PNG copies on with <paramref name="render"/> (chart → PNG bytes) or off with null, and makes displayed
    /// charts (cell results, <c>display(chart)</c>) carry the matching mime types.
    /// </summary>
    public static void Use(Func<GenericChart, byte[]>? render)
    {
        Volatile.Write(ref renderer, render);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), MimeTypes);
    }

    /// <summary>
    /// Reads <see cref="Variable"/> and sets PNG copies up accordingly, rendering with <paramref name="browser"/>.
    /// Returns one status line when they were asked for (on, or off because no Chromium was found), else null.
    /// </summary>
    /// <param name="variable">The variable's value (null: not set).</param>
    /// <param name="browser">A headless Chromium (see <see cref="ChartImage.FindBrowser"/>), or null when none is installed.</param>
    public static string? Configure(string? variable, string? browser)
    {
        if (variable != "1")
        {
            Use(null);
            return null;
        }
        if (browser is null)
        {
            Use(null);
            return $"{Variable}=1 but no chromium on PATH (apt-get install chromium): charts stay HTML only, with no static image.";
        }
        Use(chart => ChartImage.Png(chart, browser, "a notebook chart"));
        return $"charts also carry a static PNG image (rendered by {browser}).";
    }

    /// <summary>The chart's output formats: HTML, plus PNG when enabled and <paramref name="withImage"/>.</summary>
    public static IReadOnlyList<FormattedValue> Format(GenericChart chart, bool withImage) =>
        FormattedValue.CreateManyFromObject(chart, withImage ? MimeTypes : [HtmlFormatter.MimeType]);

    /// <summary>The PNG copy as base64 text; an error when PNG copies are off (nothing should ask for one then).</summary>
    public static string Base64Png(GenericChart chart) =>
        Convert.ToBase64String((Volatile.Read(ref renderer) ?? throw new InvalidOperationException(
            $"a PNG copy of a chart was asked for while static chart images are off (set {Variable}=1 before the notebook's setup cell)."))(chart));
}
