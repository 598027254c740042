using System.Collections.Immutable;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Experiments;

public class SweepResultTests
{
    // G = 2 codebooks of V = 8 entries: a learning run's perplexity is below 8; K = 9 distractors: chance is 0.1.
    static readonly PretrainExperiment Pretrain = new()
    {
        Name = "p", Model = Wav2Vec2Presets.Tiny() with { NumCodevectorGroups = 2, NumCodevectorsPerGroup = 8, NumNegatives = 9 },
    };

    static SweepResult Result(ExperimentDescription description, params (string Name, double Value)[] metrics) =>
        new(0, new SweepPoint<ExperimentDescription>(description, ImmutableSortedDictionary<string, string>.Empty) { Name = "x" }, 3, 12.5,
            metrics.ToImmutableSortedDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal));

    static SweepResult Measured(double devAccuracy, double perplexity) =>
        Result(Pretrain, (DiagnosticNames.DevAccuracy, devAccuracy), (DiagnosticNames.DevChanceAccuracy, 0.1), (MetricNames.Perplexity, perplexity));

    [Theory]
    [InlineData(0.5, 7.9, true)]
    [InlineData(0.5, 8.0, false)]   // perplexity must fall below ½·G·V
    [InlineData(0.5, 16.0, false)]  // flat quantizer logits: perplexity near G·V
    [InlineData(0.49, 4.0, false)]  // dev accuracy below 5× chance
    public void APretrainingPointLearnsWhenDevAccuracyIsFiveTimesChanceAndPerplexityBelowHalfOfGV(double accuracy, double perplexity, bool learns) =>
        Assert.Equal(learns, Measured(accuracy, perplexity).Learns);

    [Fact]
    public void APointWithoutDevMetricsOrNotPretrainingHasNoVerdict()
    {
        Assert.Null(Result(Pretrain, (MetricNames.Perplexity, 2.0), (MetricNames.Accuracy, 0.9)).Learns);
        Assert.Null(Result(new FinetuneExperiment { Name = "f", Pretrained = "p" }, (DiagnosticNames.DevAccuracy, 0.9),
            (DiagnosticNames.DevChanceAccuracy, 0.1), (MetricNames.Perplexity, 2.0)).Learns);
    }

    [Fact]
    public void TheTableHasALearnsColumnOnlyWhenSomePointHasAVerdict()
    {
        var plain = SweepTable.Of([Result(Pretrain, (MetricNames.Loss, 3.0))]);
        Assert.Equal(["index", "point", "run", "scale", "step", "compute_s", "loss"], plain.Header);
        Assert.Equal(["0", "x", "p", "1", "3", "12.5", "3"], plain.Rows[0]);

        var judged = SweepTable.Of([Measured(0.5, 4.0), Measured(0.2, 4.0), Result(Pretrain, (MetricNames.Loss, 3.0))]);
        var learns = judged.Header.ToList().IndexOf("learns");
        Assert.Equal(learns - 1, judged.Header.ToList().IndexOf("compute_s"));
        Assert.Equal(["yes", "no", ""], judged.Rows.Select(r => r[learns]));
    }

    [Fact]
    public void TheTableShowsEveryVariedFieldAsEachPointRanIt()
    {
        var k50 = Pretrain with { Name = "b-k50", Model = Pretrain.Model with { NumNegatives = 50 } };
        var lr = Pretrain with { Name = "b-lr", Optimizer = Pretrain.Optimizer with { LearningRate = 0.001 } };
        SweepResult Of(int index, ExperimentDescription d, string set, string value) => new(index,
            new SweepPoint<ExperimentDescription>(d, ImmutableSortedDictionary<string, string>.Empty.Add(set, value)) { Name = d.Name[2..] },
            10, 1, ImmutableSortedDictionary<string, double>.Empty);
        var table = SweepTable.Of([Of(0, k50, "model.num_negatives", "50"), Of(1, lr, "optimizer.learningRate", "0.001")]);
        Assert.Equal(["index", "point", "run", "model.num_negatives", "optimizer.learningRate", "scale", "step", "compute_s"], table.Header);
        Assert.Equal(["0", "k50", "b-k50", "50", "0.0005", "1", "10", "1"], table.Rows[0]);
        Assert.Equal(["1", "lr", "b-lr", "9", "0.001", "1", "10", "1"], table.Rows[1]);
    }

    [Fact]
    public void TestScoreColumnsComeLastWhenAskedForAndAreEmptyForAPointWithoutScores()
    {
        var finetune = new FinetuneExperiment { Name = "f", Model = Wav2Vec2Presets.Tiny() };
        var scored = Result(finetune, (MetricNames.Wer, 0.9)) with
        {
            Scores = new TestScores(new SplitScores(0.25, 0.5, 9, 1), new LmScores(4, 0.5, 2, new SplitScores(0.2, 0.4, 3, 0), new SplitScores(0.125, 0.375, 9, 1))),
        };
        var greedyOnly = scored with { Scores = scored.Scores! with { Lm = null } };
        var unscored = Result(Pretrain, (MetricNames.Loss, 3.0));

        Assert.Equal(["index", "point", "run", "scale", "step", "compute_s", "wer"], SweepTable.Of([scored]).Header);
        var greedy = SweepTable.Of([scored, unscored], ScoreColumns.Greedy);
        Assert.Equal(["loss", "wer", "test_cer", "test_wer", "test_skipped"], greedy.Header.TakeLast(5));
        Assert.Equal(["", "0.9", "0.25", "0.5", "1"], greedy.Rows[0].TakeLast(5));
        Assert.Equal(["3", "", "", "", ""], greedy.Rows[1].TakeLast(5));

        var withLm = SweepTable.Of([scored, greedyOnly, unscored], ScoreColumns.WithLm);
        Assert.Equal(["test_cer", "test_wer", "test_cer_lm", "test_wer_lm", "lm_alpha", "lm_beta", "dev_wer_lm", "test_skipped"], withLm.Header.TakeLast(8));
        Assert.Equal(["0.25", "0.5", "0.125", "0.375", "0.5", "2", "0.4", "1"], withLm.Rows[0].TakeLast(8));
        Assert.Equal(["0.25", "0.5", "", "", "", "", "", "1"], withLm.Rows[1].TakeLast(8));
        Assert.Equal(["", "", "", "", "", "", "", ""], withLm.Rows[2].TakeLast(8));
    }

    [Fact]
    public void TheComputeOfATableAddsUpItsPointsAndBoundsTheWallTimeOfParallelWorkers()
    {
        var table = new SweepTable(["index", "point", "run", "scale", "step", "compute_s"],
            [["0", "a", "r-a", "1", "10", "600"], ["1", "b", "r-b", "1", "10", "1200"], ["2", "c", "r-c", "1", "10", ""], ["3", "d", "r-d", "1", "10", "300.5"]]);
        var compute = table.Compute();
        Assert.Equal((3, 2100.5, 1200.0), (compute.Points, compute.TotalSeconds, compute.LongestSeconds));
        Assert.Equal(2100.5, compute.AtLeastSeconds(1));
        Assert.Equal(1200.0, compute.AtLeastSeconds(2));   // the longest point, not half the total
        Assert.Equal(2000.0, new SweepCompute(4, 4000, 1000).AtLeastSeconds(2));   // the total spread evenly over the workers
        Assert.Equal("compute 35 min over 3 points (longest 20 min): at least 20 min with 2 points at a time", compute.Describe(2));
        Assert.Equal("compute 1.0 h over 2 points (longest 40 min): at least 40 min with 2 points at a time",
            new SweepCompute(2, 3600, 2400).Describe(2));
        Assert.Equal("compute: no point has a logged compute time", new SweepTable(["index", "point", "run"], [["0", "a", "r-a"]]).Compute().Describe(2));
    }

    [Fact]
    public void AColumnIsReadByItsNameAndAMissingOneIsNamedWithTheColumnsThereAre()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweep-table-{Guid.NewGuid():N}.csv");
        new SweepTable(["index", "point", "run", "scale", "step", "compute_s", "learns", "test_cer"],
            [["0", "a", "r-a", "1", "10", "600", "yes", "0.25"], ["1", "b", "r-b", "1", "10", "", "no", ""]]).WriteCsv(path);
        var table = SweepTable.ReadCsv(path);
        File.Delete(path);

        Assert.Equal(["a", "b"], table.Column("point"));
        Assert.Equal([0.25, null], table.Numbers("test_cer"));
        Assert.Equal([null, null], table.Numbers("learns"));
        var missing = Assert.Throws<KeyNotFoundException>(() => table.Column("test_wer"));
        Assert.Equal("the table has no column \"test_wer\"; its columns: index, point, run, scale, step, compute_s, learns, test_cer.", missing.Message);
        Assert.Equal("the table has no column \"point\": it is empty (was its CSV file there?).",
            Assert.Throws<KeyNotFoundException>(() => SweepTable.ReadCsv(path).Numbers("point")).Message);
    }

    [Fact]
    public void RowsOfAResultsTableComeBackAsResultsOfThePointsNotFinishedHereAndWriteTheSameRowAgain()
    {
        SweepPoint<ExperimentDescription> Point(int seed) =>
            new(new FinetuneExperiment { Name = $"f-seed{seed}", Seed = seed, Model = Wav2Vec2Presets.Tiny(), Pretrained = "runs/absent/best" },
                ImmutableSortedDictionary<string, string>.Empty.Add("seed", $"{seed}")) { Name = $"seed{seed}" };
        SweepPoint<ExperimentDescription>[] points = [Point(1), Point(2), Point(3)];
        var table = new SweepTable(["index", "point", "run", "seed", "scale", "step", "compute_s", "starts_from", "cer", "test_cer", "test_wer", "test_skipped"],
        [
            ["0", "seed1", "f-seed1", "1", "1", "2000", "411.2", "", "0.61", "0.62", "0.99", "0"],   // finished here: its run folder wins
            ["1", "seed4", "f-seed4", "4", "1", "2000", "300", "", "0.5", "0.5", "0.9", "0"],        // a point the sweep no longer has
            ["5", "seed2", "f-seed2", "2", "1", "2000", "300.5", "8d1d21e84e8d", "0.5", "0.52", "0.9", "0"], // numbered 5 before the sweep changed
            ["2", "seed3", "f-seed3", "7", "1", "2000", "300", "", "0.5", "0.5", "0.9", "0"],        // ran with another seed
        ]);
        SweepMissing[] missing = [.. points.Select((p, i) => new SweepMissing(i, p, new SweepPointStatus(0, 2000, false))).Skip(1)];

        var (results, dropped) = table.Recorded(points, missing);

        var r = Assert.Single(results);
        Assert.Equal("8d1d21e84e8d", r.Recorded!["starts_from"]);
        Assert.Equal((1, "seed2", 2000L, 300.5), (r.Index, r.Point.Name, r.Step, r.ComputeSeconds));
        Assert.Equal(new Dictionary<string, double> { ["cer"] = 0.5, ["test_cer"] = 0.52, ["test_skipped"] = 0, ["test_wer"] = 0.9 }, r.Metrics);
        Assert.Equal(2, dropped.Count);
        Assert.Contains(dropped, d => d.StartsWith("1 f-seed4: the sweep has no such unfinished point"));
        Assert.Contains(dropped, d => d.StartsWith("2 f-seed3: its seed differ"));

        var again = SweepTable.Of(results, ScoreColumns.Greedy);
        Assert.Equal(["index", "point", "run", "seed", "scale", "step", "compute_s", "starts_from", "cer", "test_cer", "test_wer", "test_skipped"], again.Header);
        Assert.Equal(["1", "seed2", "f-seed2", "2", "1", "2000", "300.5", "8d1d21e84e8d", "0.5", "0.52", "0.9", "0"], again.Rows[0]);
    }
}
