using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Wav2Vec.Plots;

/// <summary>Small C# conveniences over Plotly.NET's F# API where Plotly.NET.CSharp has no equivalent.</summary>
public static class ChartStyle
{
    /// <summary>The chart with a title (Plotly.NET.CSharp 0.14 has no <c>WithTitle</c>; the F# one is curried).</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
}
