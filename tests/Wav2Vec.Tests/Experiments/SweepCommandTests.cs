using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// A sweep driven as a scheduler drives it, through the real command line: <c>--list</c> for the array size, one
/// <c>--index N</c> per task (idempotent), <c>--collect</c> for the table, and a plain run for whatever is left.
/// </summary>
public class SweepCommandTests
{
    [Fact]
    public void ListIndexAndCollectDriveASweepPointByPoint()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var runs = Path.Combine(corpus, "runs");
        ExperimentJson.Save(PretrainingRunTests.Micro(corpus, runs, "b") with { Steps = 2 }, Path.Combine(corpus, "b.json"));
        var sweep = Path.Combine(corpus, "sweep.json");
        File.WriteAllText(sweep, """
            {"baseline": "b.json", "points": [{"name": "base", "set": {}}, {"name": "k4", "set": {"model.num_negatives": 4}}],
             "repeat": {"seed": [1, 2]}, "results": "results/table.csv"}
            """);

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
        var table = File.ReadAllLines(Path.Combine(corpus, "results", "table.csv"));
        Assert.StartsWith("index,point,run,model.num_negatives,seed,scale,step,compute_s,", table[0]);
        Assert.StartsWith("2,k4-seed1,b-k4-seed1,4,1,1,2,", Assert.Single(table.Skip(1)));

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
}
