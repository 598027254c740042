using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Sinks;

public class MetricLogTests
{
    [Fact]
    public void JsonLinesLogRoundTripsEveryFieldIncludingNonFiniteMetrics()
    {
        var path = Path.Combine(Reports.TempFolder(), "m.jsonl");
        var reports = new[]
        {
            Reports.At(1, ("loss", 4.25), ("perplexity", 12)),
            Reports.At(2, ("loss", double.NaN), ("wer", double.PositiveInfinity)) with { Phase = Phase.Finetune, Checkpoint = "runs/x/ckpt-2", TotalSteps = null },
        };
        reports.ToObservable().LogJsonLines(path).Wait();

        var back = JsonLinesLog.Read(path).ToList();
        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.Equal(reports[0], back[0] with { Metrics = reports[0].Metrics });
        Assert.Equal(reports[0].Metrics, back[0].Metrics);
        Assert.True(double.IsNaN(back[1].Metric("loss")!.Value));
        Assert.Equal(double.PositiveInfinity, back[1].Metric("wer"));
        Assert.Equal((Phase.Finetune, "runs/x/ckpt-2", (long?)null), (back[1].Phase, back[1].Checkpoint, back[1].TotalSteps));
    }

    [Fact]
    public void JsonLinesReadNamesFileAndLineOfABadLine()
    {
        var path = Path.Combine(Reports.TempFolder(), "bad.jsonl");
        File.WriteAllLines(path, [StepReportJson.Serialize(Reports.At(1, ("loss", 1))), "{\"run\":\"x\"}"]);
        var error = Assert.Throws<FormatException>(() => JsonLinesLog.Read(path).ToList());
        Assert.Contains($"{path}:2", error.Message);
        Assert.Contains("phase", error.Message);
    }

    [Fact]
    public void CsvHeaderComesFromFirstReportAndLaterMetricWidensFileWithoutMovingColumns()
    {
        var path = Path.Combine(Reports.TempFolder(), "m.csv");
        new[]
        {
            Reports.At(1, ("loss", 4), ("perplexity", 12)),
            Reports.At(2, ("loss", 3)),
            Reports.At(3, ("loss", 2), ("wer", 0.5)) with { Run = "a,\"b\"" },
        }.ToObservable().LogCsv(path).Wait();

        var lines = File.ReadAllLines(path);
        Assert.Equal("run,phase,step,epoch,elapsed_s,lr,total_steps,checkpoint,loss,perplexity,wer", lines[0]);
        Assert.Equal("tiny,pretrain,1,0,1,0.0005,100,,4,12,", lines[1]);
        Assert.Equal("tiny,pretrain,2,0,2,0.0005,100,,3,,", lines[2]);
        Assert.Equal("\"a,\"\"b\"\"\",pretrain,3,0,3,0.0005,100,,2,,0.5", lines[3]);
    }

    [Fact]
    public void CsvLogContinuesAnExistingFileWithItsHeader()
    {
        var path = Path.Combine(Reports.TempFolder(), "m.csv");
        Observable.Return(Reports.At(1, ("loss", 4), ("perplexity", 12))).LogCsv(path).Wait();
        Observable.Return(Reports.At(2, ("perplexity", 11), ("loss", 3))).LogCsv(path).Wait();
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(",3,11", lines[2]);
    }

    [Fact]
    public void CsvLogRefusesAFileThatIsNotAMetricsLog()
    {
        var path = Path.Combine(Reports.TempFolder(), "other.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        // Checked at the first report, not when the sink is made: a resumed run trims its logs in between.
        using var log = new CsvLog(path);
        var error = Assert.Throws<FormatException>(() => log.OnNext(Reports.At(1, ("loss", 1))));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void JsonLinesReadLeavesOutALastLineCutOffMidWrite()
    {
        var path = Path.Combine(Reports.TempFolder(), "cut.jsonl");
        var whole = StepReportJson.Serialize(Reports.At(1, ("loss", 1)));
        File.WriteAllText(path, whole + "\n" + whole[..20]);
        Assert.Equal([1L], JsonLinesLog.Read(path).Select(r => r.Step));
        // A last line that only lacks its line break is still read.
        File.WriteAllText(path, whole + "\n" + whole);
        Assert.Equal([1L, 1], JsonLinesLog.Read(path).Select(r => r.Step));
    }

    [Fact]
    public void DisposingTheSubscriptionClosesTheLogSoItCanBeReopened()
    {
        var path = Path.Combine(Reports.TempFolder(), "m.jsonl");
        var subscription = Observable.Never<StepReport>().StartWith(Reports.At(1, ("loss", 1))).LogJsonLines(path).Subscribe();
        subscription.Dispose();
        using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
        Assert.Single(JsonLinesLog.Read(path));
    }
}
