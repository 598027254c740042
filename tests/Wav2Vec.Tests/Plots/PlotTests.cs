using System.Text.RegularExpressions;
using NAudio.Wave;
using Plotly.NET;
using Wav2Vec.Experiments;
using Wav2Vec.Plots;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Plots;

public class PlotTests
{
    static int Count(string text, string needle) => Regex.Matches(text, Regex.Escape(needle)).Count;

    [Fact]
    public void TrainingCurvesHaveOneLinePerRunInStepOrderAndSkipReportsWithoutTheMetric()
    {
        var reports = Reports.Curve("a", 3).Concat(Reports.Curve("b", 2)).Reverse()
            .Append(Reports.At(9, ("wer", 0.4)) with { Run = "a", Phase = Phase.Finetune });
        var series = TrainingCurves.Series(reports, MetricNames.Loss);
        Assert.Equal(["b", "a"], series.Select(s => s.Name));
        Assert.Equal([1L, 2, 3], series[1].Steps);
        Assert.Equal([5.0, 2.5, 5.0 / 3], series[1].Values);
        Assert.Equal(2, GenericChart.getTraces(TrainingCurves.Chart(reports, MetricNames.Loss)).Length);
    }

    [Fact]
    public void ARunWithSeveralPhasesGetsALinePerPhase()
    {
        var reports = Reports.Curve("a", 2).Concat(Reports.Curve("a", 2).Select(r => r with { Phase = Phase.Finetune }));
        Assert.Equal(["a pretrain", "a finetune"], TrainingCurves.Series(reports, MetricNames.Loss).Select(s => s.Name));
    }

    [Fact]
    public void ReportEmbedsPlotlyJsOnceWithEveryChartsDataAndNoExternalScript()
    {
        var html = new HtmlReport("smoke <test>")
            .AddChart(TrainingCurves.Chart(Reports.Curve("run-a", 4), MetricNames.Loss))
            .AddChart(Heatmaps.CodebookUsage(new double[,] { { 0.125, 2 }, { 3, 4 } }))
            .AddChart(Scatters.Embeddings([(1.5, 2.5), (3.5, 4.5)], ["a", "b"]))
            .AddTable(["utt", "hyp"], [["u1", "a < b"]])
            .ToHtml();
        Assert.Equal(1, Count(html, PlotlyJs.Banner));
        Assert.Equal(3, Count(html, "window.Plotly.newPlot("));
        Assert.Contains("\"name\":\"run-a\"", html);
        Assert.Contains("0.125", html);
        Assert.Contains("4.5", html);
        Assert.Contains("<td>a &lt; b</td>", html);
        Assert.Contains("<title>smoke &lt;test&gt;</title>", html);
        Assert.DoesNotMatch("<script[^>]*src=", html);
    }

    [Fact]
    public void ReportFileIsWritten()
    {
        var path = Path.Combine(Reports.TempFolder(), "r", "report.html");
        new HtmlReport("r").AddText("hello").Write(path);
        Assert.Contains("<p>hello</p>", File.ReadAllText(path));
    }

    [Fact]
    public void ChartScriptCannotCloseItsScriptElementEarly()
    {
        var fragment = ChartHtml.Fragment(Scatters.Embeddings([(0, 0)], ["</script><b>"]));
        Assert.Equal(1, Count(fragment, "</script>"));
    }

    [Fact]
    public void HeatmapKeepsMatrixOrientationAndRejectsWrongLabelCounts()
    {
        var json = ChartHtml.FigureJson(Heatmaps.Attention(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        Assert.Contains("\"z\":[[1.0,2.0,3.0],[4.0,5.0,6.0]]", json);
        var error = Assert.Throws<ArgumentException>(() => Heatmaps.Matrix(new double[2, 3], "t", "x", "y", xLabels: ["a"]));
        Assert.Contains("1 column labels for a matrix with 3 columns", error.Message);
    }

    [Fact]
    public void ScatterHasOneTracePerLabelAndNeedsALabelPerPoint()
    {
        var chart = Scatters.Embeddings([(0, 0), (1, 1), (2, 2)], ["a", "b", "a"]);
        Assert.Equal(2, GenericChart.getTraces(chart).Length);
        Assert.Throws<ArgumentException>(() => Scatters.Embeddings([(0, 0)], []));
    }

    [Fact]
    public void AudioClipIsAPlayable16BitWavInADataUri()
    {
        var tone = Enumerable.Range(0, 1600).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 16000)).ToArray();
        var clip = AudioClip.FromSamples(tone, 16000, "tone <440 Hz>");
        using (var reader = new WaveFileReader(new MemoryStream(clip.Wav)))
        {
            Assert.Equal((16000, 16, 1), (reader.WaveFormat.SampleRate, reader.WaveFormat.BitsPerSample, reader.WaveFormat.Channels));
            Assert.Equal(1600, reader.SampleCount);
            var first = new byte[4];
            reader.ReadExactly(first);
            Assert.Equal((short)0, BitConverter.ToInt16(first, 0));
            Assert.Equal((short)Math.Round(tone[1] * short.MaxValue), BitConverter.ToInt16(first, 2));
        }
        var html = clip.ToHtml();
        Assert.Contains("src=\"data:audio/wav;base64," + Convert.ToBase64String(clip.Wav) + "\"", html);
        Assert.Contains("tone &lt;440 Hz&gt;", html);
    }

    [Fact]
    public void AudioClipFromANonWavFileNamesTheFile()
    {
        var path = Path.Combine(Reports.TempFolder(), "x.wav");
        File.WriteAllText(path, "not audio at all");
        var error = Assert.Throws<InvalidDataException>(() => AudioClip.FromWavFile(path));
        Assert.Contains(path, error.Message);
    }
}
