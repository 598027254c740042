using System.Globalization;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// A sweep driven as a scheduler drives it, through the real command line: <c>--list</c> for the array size, one
/// <c>--index N</c> per task (idempotent), <c>--collect</c> for the table, and a plain run for whatever is left.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class SweepCommandTests
{
    [Fact]
    public void ListIndexAndCollectDriveASweepPointByPoint()
    {
        var (corpus, runs, sweep) = MicroSweep("1, 2");

        var list = CliProcess.Run("sweep", sweep, "--list");
        Assert.True(list.ExitCode == 0, list.Output + list.Error);
        Assert.Equal(
            ["0\tb-base-seed1\tseed=1", "1\tb-base-seed2\tseed=2", "2\tb-k4-seed1\tmodel.num_negatives=4,seed=1", "3\tb-k4-seed2\tmodel.num_negatives=4,seed=2"],
            list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var log = Path.Combine(runs, "b-k4-seed1", "metrics.jsonl");
        var first = CliProcess.Run("sweep", sweep, "--index", "2");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var lines = File.ReadAllLines(log);
        Assert.Equal(2, lines.Length);
        var again = CliProcess.Run("sweep", sweep, "--index", "2");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("finished, nothing to do", again.Output);
        Assert.Equal(lines, File.ReadAllLines(log));

        var collect = CliProcess.Run("sweep", sweep, "--collect");
        Assert.True(collect.ExitCode == 0, collect.Output + collect.Error);
        Assert.Contains("missing 3 of 4 points", collect.Output);
        Assert.Contains("1 b-base-seed2: no checkpoint yet", collect.Output);
        Assert.Matches(@"compute [0-9.]+ min over 1 points \(longest [0-9.]+ min\): at least [0-9.]+ min with \d+ points at a time", collect.Output);
        var table = File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"));
        Assert.StartsWith("index,point,run,model.num_negatives,seed,scale,step,compute_s,", table[0]);
        Assert.StartsWith("2,k4-seed1,b-k4-seed1,4,1,1,2,", Assert.Single(table.Skip(1)));

        var probeAlone = CliProcess.Run("sweep", sweep, "--probe");
        Assert.Equal(2, probeAlone.ExitCode);
        Assert.Contains("error: --probe measures the models of finished points while collecting the table: add --collect", probeAlone.Error);
        var probed = CliProcess.Run("sweep", sweep, "--collect", "--probe");
        Assert.True(probed.ExitCode == 0, probed.Output + probed.Error);
        Assert.Contains("no dev probe, corpus.dev is null: b-k4-seed1", probed.Output);
        Assert.DoesNotContain("probed_", File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"))[0]);

        var outside = CliProcess.Run("sweep", sweep, "--index", "4");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains($"error: point 4 does not exist; the sweep has 4 points (0–3) ({sweep})", outside.Error);

        // A plain run runs the unfinished points only, then collects all four.
        var rest = CliProcess.Run("sweep", sweep);
        Assert.True(rest.ExitCode == 0, rest.Output + rest.Error);
        Assert.Equal(lines, File.ReadAllLines(log));
        Assert.DoesNotContain("missing", rest.Output);
        table = File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"));
        Assert.Equal(["0,base-seed1,b-base-seed1,8,1,1,2", "1,base-seed2,b-base-seed2,8,2,1,2", "2,k4-seed1,b-k4-seed1,4,1,1,2", "3,k4-seed2,b-k4-seed2,4,2,1,2"],
            table.Skip(1).Select(row => string.Join(",", row.Split(',').Take(7))));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void JobsRunsTheUnfinishedPointsInParallelProcessesAndWritesTheTableASerialRunWrites()
    {
        var (corpus, runs, sweep) = MicroSweep("1, 2");
        var (serialCorpus, _, serialSweep) = MicroSweep("1, 2");

        var none = CliProcess.Run("sweep", sweep, "--jobs", "0");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("error: --jobs takes how many points run at a time, 1 or more, got 0", none.Error);
        var one = CliProcess.Run("sweep", sweep, "--jobs", "2", "--index", "1");
        Assert.Equal(2, one.ExitCode);
        Assert.Contains("error: --jobs runs the unfinished points of the whole sweep: leave out --list, --chain, --index and --collect", one.Error);

        Assert.Equal(0, CliProcess.Run("sweep", sweep, "--index", "1").ExitCode);
        var parallel = CliProcess.Run("sweep", sweep, "--jobs", "2");
        Assert.True(parallel.ExitCode == 0, parallel.Output + parallel.Error);
        Assert.Contains("point 1 b-base-seed2: finished, nothing to do", parallel.Output);
        // WAV2VEC_THREADS is set (to 1) for the tests, so each point keeps it.
        Assert.Contains("3 of 4 points to run, 2 at a time: 0, 2, 3", parallel.Output);
        foreach (var index in new[] { 0, 2, 3 }) Assert.Contains($"[{index}] point {index} ", parallel.Output);
        // Output that goes to a file is not wrapped at 80 columns: each point's start line names its folder on that line.
        Assert.Matches($@"\[0\] point 0 b-base-seed1 [^\n]*starting → {System.Text.RegularExpressions.Regex.Escape(Path.Combine(runs, "b-base-seed1"))}", parallel.Output);
        Assert.DoesNotContain("[1] ", parallel.Output);
        Assert.DoesNotContain("missing", parallel.Output);

        var serial = CliProcess.Run("sweep", serialSweep);
        Assert.True(serial.ExitCode == 0, serial.Output + serial.Error);
        // Every cell but the compute time: same points, same steps, the same metrics to the last digit.
        static IEnumerable<string> WithoutCompute(string table) => File.ReadAllLines(table).Select(row => string.Join(",", row.Split(',').Where((_, i) => i != 7)));
        Assert.Equal(WithoutCompute(Path.Combine(serialCorpus, "results", "table.csv")), WithoutCompute(Path.Combine(corpus, "results", "table.csv")));

        // Run again, points with a compute time in the table start longest first.
        var table = Path.Combine(corpus, "results", "table.csv");
        var rows = File.ReadAllLines(table).Select(row => row.Split(',')).ToList();
        rows[1][7] = "5";
        rows[4][7] = "50";
        File.WriteAllLines(table, rows.Select(row => string.Join(",", row)));
        foreach (var run in new[] { "b-base-seed1", "b-k4-seed2" }) Directory.Delete(Path.Combine(runs, run), true);
        var again = CliProcess.Run("sweep", sweep, "--jobs", "2");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains($"2 of 4 points to run, 2 at a time, longest first by the compute of their rows in {table}: 3, 0", again.Output);
        Directory.Delete(corpus, true);
        Directory.Delete(serialCorpus, true);
    }

    [Fact]
    public void AWholeRunRunsTheAfterSweepFirstAndFineTunesItsModelsAtTheSameScale()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var runs = Path.Combine(corpus, "runs");
        ExperimentJson.Save(PretrainingRunTests.Micro(corpus, runs, "b") with { Steps = 2 }, Path.Combine(corpus, "b.json"));
        File.WriteAllText(Path.Combine(corpus, "pre.json"), """
            {"baseline": "b.json", "points": [{"name": "base", "set": {}}, {"name": "k4", "set": {"model.num_negatives": 4}}], "results": "results/pre.csv"}
            """);
        var fromBase = Path.Combine(runs, "b-base", "final");
        ExperimentJson.Save(FinetuneExperimentRunTests.Micro(corpus, fromBase, "f") with { Steps = 2 }, Path.Combine(corpus, "f.json"));
        var sweep = Path.Combine(corpus, "ft.json");
        File.WriteAllText(sweep, $$$"""
            {"baseline": "f.json", "after": "pre.json", "results": "results/ft.csv",
             "points": [{"name": "base", "set": {}}, {"name": "k4", "set": {"pretrained": "{{{Path.Combine(runs, "b-k4", "final")}}}"}}]}
            """);

        var chain = CliProcess.Run("sweep", sweep, "--chain");
        Assert.True(chain.ExitCode == 0, chain.Output + chain.Error);
        Assert.Equal([Path.Combine(corpus, "pre.json"), sweep], chain.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var quick = CliProcess.Run("sweep", sweep, "--scale", "0.5");
        Assert.True(quick.ExitCode == 0, quick.Output + quick.Error);
        Assert.Contains($"{Path.Combine(corpus, "pre.json")}: runs first ('after' of {sweep})", quick.Output);
        var pretrained = quick.Output.IndexOf("point 1 b-k4-scale0.5", StringComparison.Ordinal);
        var finetuned = quick.Output.IndexOf("point 0 f-base-scale0.5", StringComparison.Ordinal);
        Assert.True(pretrained >= 0 && finetuned > pretrained, quick.Output);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(corpus, "results", "pre.csv")).Length);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(corpus, "results", "ft.csv")).Length);
        // Each fine-tuning started from the quick pre-training of its point, not from the full-scale run (never made).
        foreach (var (run, from) in new[] { ("f-base-scale0.5", "b-base-scale0.5"), ("f-k4-scale0.5", "b-k4-scale0.5") })
        {
            var description = Assert.IsType<FinetuneExperiment>(ExperimentJson.Load(RunFolder.For(runs, run).Description));
            Assert.Equal(Path.Combine(runs, from, "final"), description.Pretrained);
        }
        Assert.False(Directory.Exists(Path.Combine(runs, "b-base")));

        // Run again, the finished after sweep runs nothing and its table (which a collect with --probe may have widened) stays.
        var preTable = Path.Combine(corpus, "results", "pre.csv");
        File.AppendAllText(preTable, "kept as it was\n");
        var again = CliProcess.Run("sweep", sweep, "--scale", "0.5");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains($"{Path.Combine(corpus, "pre.json")} ('after' of {sweep}): all 2 points finished, its table left as it is", again.Output);
        Assert.Equal("kept as it was", File.ReadAllLines(preTable)[^1]);

        // Without the after sweep's models the full-scale fine-tunings cannot start: a whole run trains them first.
        var missing = CliProcess.Run("sweep", sweep, "--index", "0");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(fromBase, missing.Error);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void CollectWithMergeAddsUpTablesOfMachinesThatRanDifferentPoints()
    {
        var (corpus, runs, sweep) = MicroSweep("1");
        var results = Path.Combine(corpus, "results", "table.csv");
        string[] Rows() => [.. File.ReadAllLines(results).Skip(1).Select(row => string.Join(",", row.Split(',').Take(4)))];

        var alone = CliProcess.Run("sweep", sweep, "--merge");
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("error: --merge keeps earlier rows while collecting the table: add --collect", alone.Error);

        // One machine runs point 1 and collects; its run folder then leaves with it.
        Assert.Equal(0, CliProcess.Run("sweep", sweep, "--index", "1").ExitCode);
        Assert.Equal(0, CliProcess.Run("sweep", sweep, "--collect").ExitCode);
        var elsewhere = File.ReadAllLines(results);
        Directory.Move(Path.Combine(runs, "b-k4-seed1"), Path.Combine(corpus, "gone"));

        // Another runs point 0: a plain collect would lose point 1's row, a merging one keeps it, in index order.
        Assert.Equal(0, CliProcess.Run("sweep", sweep, "--index", "0").ExitCode);
        var merged = CliProcess.Run("sweep", sweep, "--collect", "--merge");
        Assert.True(merged.ExitCode == 0, merged.Output + merged.Error);
        Assert.Contains("kept the earlier rows of 1 points not finished here: 1", merged.Output);
        Assert.Contains("results of 2 of 2 points", merged.Output);
        Assert.DoesNotContain("missing", merged.Output);
        Assert.Equal(["0,base-seed1,b-base-seed1,8", "1,k4-seed1,b-k4-seed1,4"], Rows());
        Assert.Equal(elsewhere[1], File.ReadAllLines(results)[2]);
        Assert.Equal(0, CliProcess.Run("sweep", sweep, "--collect").ExitCode);
        Assert.Equal(["0,base-seed1,b-base-seed1,1"], Rows()); // index, point, run, seed: no other field varies here

        // An earlier row whose settings are no longer the point's is dropped, with the reason.
        File.WriteAllLines(results, [elsewhere[0], elsewhere[1].Replace("b-k4-seed1,4,", "b-k4-seed1,6,")]);
        var changed = CliProcess.Run("sweep", sweep, "--collect", "--merge");
        Assert.True(changed.ExitCode == 0, changed.Output + changed.Error);
        Assert.Contains("earlier row dropped: 1 b-k4-seed1: its model.num_negatives differ from the sweep's point b-k4-seed1", changed.Output);
        Assert.Contains("missing 1 of 2 points", changed.Output);
        Assert.Equal(["0,base-seed1,b-base-seed1,8"], Rows());

        // Widening the seeds renumbers the points (k4-seed1 was 1, is 2): an earlier row is matched by its run.
        File.WriteAllLines(results, elsewhere);
        File.WriteAllText(sweep, File.ReadAllText(sweep).Replace("[1]", "[1, 2]"));
        var widened = CliProcess.Run("sweep", sweep, "--collect", "--merge");
        Assert.True(widened.ExitCode == 0, widened.Output + widened.Error);
        Assert.Contains("missing 2 of 4 points", widened.Output);
        Assert.Equal(["0,base-seed1,b-base-seed1,8", "2,k4-seed1,b-k4-seed1,4"], Rows());
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void CollectWithScoreTestAddsEachPointsGreedyTestScoresAndReusesThemUntilItsModelChanges()
    {
        var corpus = TestScoringTests.LabelledCorpusWithTest();
        ExperimentJson.Save(TestScoringTests.Point(corpus, "f"), Path.Combine(corpus, "f.json"));
        var sweep = Path.Combine(corpus, "sweep.json");
        File.WriteAllText(sweep, """{"baseline": "f.json", "points": [{"name": "base", "set": {}}], "repeat": {"seed": [1, 2]}, "results": "results/table.csv"}""");
        var runs = new[] { "f-base-seed1", "f-base-seed2" }.Select(name => RunFolder.For(Path.Combine(corpus, "runs"), name)).ToList();
        var testTsv = ManifestFiles.TsvPath(corpus, "test");

        var alone = CliProcess.Run("sweep", sweep, "--index", "0", "--score-test");
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("error: --score-test scores the models of finished points while collecting the table: add --collect, or run the whole sweep", alone.Error);
        var run = CliProcess.Run("sweep", sweep);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var plain = File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"));
        Assert.DoesNotContain("test_cer", plain[0]);

        IReadOnlyList<(double Cer, double Wer)> Collect(string expect)
        {
            var collect = CliProcess.Run("sweep", sweep, "--collect", "--score-test");
            Assert.True(collect.ExitCode == 0, collect.Output + collect.Error);
            Assert.Contains(expect, collect.Output);
            var table = File.ReadAllLines(Path.Combine(corpus, "results", "table.csv")).Select(line => line.Split(',')).ToList();
            Assert.Equal(["test_cer", "test_wer", "test_skipped"], table[0].TakeLast(3));
            int Column(string name) => Array.IndexOf(table[0], name);
            Assert.All(table.Skip(1), row => Assert.Equal("0", row[Column("test_skipped")]));
            return table.Skip(1).Select(row => (Number(row[Column("test_cer")]), Number(row[Column("test_wer")]))).ToList();
        }
        (double Cer, double Wer) Reference(RunFolder folder)
        {
            var result = TestScoringTests.Evaluate(folder.Trained, testTsv, DecodingOptions.Greedy);
            return (result.Cer, result.Wer);
        }

        var first = Collect("f-base-seed1: decoding");
        var references = runs.Select(Reference).ToList();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(references[i].Cer, first[i].Cer, 1e-9);
            Assert.Equal(references[i].Wer, first[i].Wer, 1e-9);
        }

        // Nothing changed: both points' scores come from their scores.json, which stays as it was.
        var cached = runs.Select(r => (File.ReadAllText(r.Scores), File.GetLastWriteTimeUtc(r.Scores))).ToList();
        Assert.Equal(first, Collect($"f-base-seed1: test scores from {runs[0].Scores}"));
        Assert.Equal(cached, runs.Select(r => (File.ReadAllText(r.Scores), File.GetLastWriteTimeUtc(r.Scores))));

        // The first point's model replaced by the second's: it is scored again, as that model; the second stays cached.
        File.Copy(Path.Combine(runs[1].Trained, "model.safetensors"), Path.Combine(runs[0].Trained, "model.safetensors"), overwrite: true);
        var swapped = Collect($"f-base-seed2: test scores from {runs[1].Scores}");
        Assert.Equal(new[] { references[1], references[1] }, swapped);
        Assert.NotEqual(cached[0].Item1, File.ReadAllText(runs[0].Scores));
        Assert.Equal(cached[1], (File.ReadAllText(runs[1].Scores), File.GetLastWriteTimeUtc(runs[1].Scores)));

        // A whole sweep asked for scores runs what is unfinished (nothing here), then writes the table with them.
        var scoredRun = CliProcess.Run("sweep", sweep, "--score-test");
        Assert.True(scoredRun.ExitCode == 0, scoredRun.Output + scoredRun.Error);
        Assert.Contains("finished, nothing to do", scoredRun.Output);
        Assert.Contains($"f-base-seed1: test scores from {runs[0].Scores}", scoredRun.Output);
        Assert.Contains("test_cer", File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"))[0]);
        Directory.Delete(corpus, true);
    }

    /// <summary>Micro pre-training points of 2 steps: the baseline and K = 4, each repeated over <paramref name="seeds"/>.</summary>
    static (string Corpus, string Runs, string Sweep) MicroSweep(string seeds)
    {
        var corpus = TinyCorpus.Create(count: 6);
        var runs = Path.Combine(corpus, "runs");
        ExperimentJson.Save(PretrainingRunTests.Micro(corpus, runs, "b") with { Steps = 2 }, Path.Combine(corpus, "b.json"));
        var sweep = Path.Combine(corpus, "sweep.json");
        File.WriteAllText(sweep, $$$"""
            {"baseline": "b.json", "points": [{"name": "base", "set": {}}, {"name": "k4", "set": {"model.num_negatives": 4}}],
             "repeat": {"seed": [{{{seeds}}}]}, "results": "results/table.csv"}
            """);
        return (corpus, runs, sweep);
    }

    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
