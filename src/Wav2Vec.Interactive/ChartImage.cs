using System.Text.Json;
using Plotly.NET;
using Wav2Vec.Corpus;
using Wav2Vec.Plots;
using Wav2Vec.Tools;

namespace Wav2Vec.Interactive;

/// <summary>
/// Static PNG images of charts (for previews where JavaScript does not run), rendered by a headless Chromium:
/// Debian's <c>chromium</c> package (<c>apt-get install chromium</c>, ≈290 MB, not installed by CI). No served
/// NuGet package renders plotly charts without a browser.
/// </summary>
public static class ChartImage
{
    /// <summary>Chromium on PATH (<c>chromium</c>, <c>chromium-browser</c>, <c>google-chrome</c>), or null.</summary>
    public static string? FindBrowser() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }.Select(ExternalProcess.Which).FirstOrDefault(p => p is not null);

    /// <summary>The chart's layout size in pixels (Plotly's 700×450 default when it sets none).</summary>
    public static (int Width, int Height) Size(GenericChart chart)
    {
        using var figure = JsonDocument.Parse(ChartHtml.FigureJson(chart));
        var layout = figure.RootElement.GetProperty("layout");
        int Get(string name, int fallback) => layout.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : fallback;
        return (Get("width", 700), Get("height", 450));
    }

    /// <summary>A page holding only the chart, drawn as a static plot with no margin around the page.</summary>
    public static string Page(GenericChart chart) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0;overflow:hidden}</style>" + PlotlyJs.ScriptTag +
        "</head><body>" + ChartHtml.Fragment(chart, staticPlot: true) + "</body></html>";

    /// <summary>Headless Chromium arguments that screenshot <paramref name="page"/> to <paramref name="png"/>.</summary>
    public static IReadOnlyList<string> BrowserArguments(string page, string png, int width, int height) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
        $"--window-size={width},{height}", "--virtual-time-budget=10000", $"--screenshot={png}", new Uri(page).AbsoluteUri,
    ];

    /// <summary>Renders <paramref name="chart"/> to a PNG file; the error says how to install Chromium when it is missing.</summary>
    public static void WritePng(GenericChart chart, string path, string? browser = null) =>
        Sinks.AtomicFile.WriteAllBytes(path, Png(chart, browser, path));

    /// <summary>
    /// The PNG bytes of <paramref name="chart"/> at its layout size; <paramref name="name"/> (a target file or output)
    /// names the image in errors, which say how to install Chromium when it is missing.
    /// </summary>
    public static byte[] Png(GenericChart chart, string? browser = null, string name = "a chart")
    {
        browser ??= FindBrowser() ?? throw new InvalidOperationException($"PNG export of {name} needs a headless Chromium: apt-get install chromium.");
        var folder = Directory.CreateTempSubdirectory("wav2vec-chart-").FullName;
        try
        {
            var page = Path.Combine(folder, "chart.html");
            var png = Path.Combine(folder, "chart.png");
            File.WriteAllText(page, Page(chart));
            var (width, height) = Size(chart);
            var result = ProcessRunner.Run(browser, BrowserArguments(page, png, width, height), folder,
                new Dictionary<string, string?> { ["HOME"] = folder });
            if (!File.Exists(png))
                throw new InvalidOperationException($"{browser} wrote no image for {name} (exit {result.ExitCode}):\n{result.Tail(10)}");
            return File.ReadAllBytes(png);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
