using Plotly.NET;

namespace Wav2Vec.Plots;

/// <summary>
/// plotly.js as shipped inside Plotly.NET.dll (resource <c>plotly-2.28.0.min.js</c>), so charts render with no
/// network: reports and notebooks embed it once and every chart after that is only its data.
/// </summary>
public static class PlotlyJs
{
    const string ResourceName = "Plotly.NET.plotly-2.28.0.min.js";
    static readonly Lazy<string> Source = new(Load);

    /// <summary>The plotly.js version embedded.</summary>
    public const string Version = "2.28.0";

    /// <summary>Text every embedded copy starts with; tests count it to prove plotly.js appears once.</summary>
    public const string Banner = "plotly.js v" + Version;

    /// <summary>The minified library (≈3.6 MB).</summary>
    public static string Code => Source.Value;

    /// <summary>
    /// A <c>&lt;script&gt;</c> element defining <c>window.Plotly</c>. The UMD bundle would register itself with an
    /// AMD loader (require.js in classic Jupyter) instead of the window and stay unreachable to chart scripts,
    /// so it runs with <c>define</c>, <c>module</c> and <c>exports</c> shadowed as undefined.
    /// </summary>
    public static string ScriptTag =>
        "<script type=\"text/javascript\">(function(define, module, exports){\n" + Code + "\n}).call(window);</script>";

    static string Load()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Plotly.NET.dll has no resource {ResourceName}: its version does not match the one this library was built against.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
