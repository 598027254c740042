using Microsoft.DotNet.Interactive.Formatting;
using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Plots;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Interactive;

/// <summary>Formatters and the plotly.js-once flag are process-wide: tests touching them run one at a time.</summary>
[Collection(Collection)]
public class FormatterTests
{
    public const string Collection = "notebook formatters";

    public FormatterTests() => Wav2VecKernelExtension.Register();

    [Fact]
    public void StepReportsFormatAsTableRowsWithTheUnionOfMetrics()
    {
        var html = new List<StepReport> { Reports.At(1, ("loss", 4.5)), Reports.At(2, ("wer", 0.25)) with { Checkpoint = "ckpt-2" } }
            .ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("<th>loss</th><th>wer</th><th>checkpoint</th>", html);
        Assert.Contains("<td>tiny</td><td>pretrain</td><td>1/100</td><td>0</td><td>0:00:01</td><td>0.0005</td><td>4.5</td><td></td><td></td></tr>", html);
        Assert.Contains("<td>0.25</td><td>ckpt-2</td>", html);
        Assert.Contains("<td>4.5</td>", Reports.At(1, ("loss", 4.5)).ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void ChartsCarryPlotlyJsOnlyTheFirstTime()
    {
        NotebookHtml.ResetPlotlyJs();
        var chart = TrainingCurves.Chart(Reports.Curve("a", 3), MetricNames.Loss);
        var first = chart.ToDisplayString(HtmlFormatter.MimeType);
        var second = chart.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains(PlotlyJs.Banner, first);
        Assert.DoesNotContain(PlotlyJs.Banner, second);
        Assert.Contains("\"name\":\"a\"", second);
        Assert.DoesNotContain("cdn.plot.ly", second);
    }

    sealed record Row(string Run, double Wer, int[] Steps, string? Note);

    [Fact]
    public void RecordsAndAnonymousObjectsFormatAsOneTableWithAColumnPerProperty()
    {
        var html = new[] { new Row("a<b", 0.123456, [1, 2], null), new Row("c", 2.0, [], "ok") }.ToTable().ToDisplayString(HtmlFormatter.MimeType);
        Assert.Equal("<table><tr><th>Run</th><th>Wer</th><th>Steps</th><th>Note</th></tr>" +
                     "<tr><td>a&lt;b</td><td>0.1235</td><td>1, 2</td><td></td></tr><tr><td>c</td><td>2</td><td></td><td>ok</td></tr></table>", html);
        var anonymous = new[] { new { split = "train-10min", minutes = 10.25f, utterances = 151 } }.ToTable();
        Assert.Equal(["split", "minutes", "utterances"], anonymous.Headers);
        Assert.Equal(["train-10min", "10.25", "151"], anonymous.Rows.Single());
    }

    [Fact]
    public void AudioClipsFormatAsPlayers()
    {
        var html = AudioClip.FromSamples(new float[160], 16000, "silence").ToDisplayString(HtmlFormatter.MimeType);
        Assert.StartsWith("<figure", html);
        Assert.Contains("<audio controls", html);
    }
}
