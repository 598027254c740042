using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Sinks;

public class CheckpointRetentionTests
{
    static List<CheckpointEntry> Entries(int[] metrics) =>
        metrics.Select((m, i) => new CheckpointEntry($"ckpt-{(i + 1) * 10}", (i + 1) * 10, m % 7 == 0 ? null : m)).ToList();

    [Fact]
    public void KeepsLastKAndTheBestByMetric()
    {
        var entries = new List<CheckpointEntry>
        {
            new("c10", 10, 3.0), new("c20", 20, 1.5), new("c30", 30, double.NaN), new("c40", 40, 2.0), new("c50", 50, 2.5),
        };
        var (keep, delete) = CheckpointRetention.Apply(entries, new RetentionPolicy(2, "wer"));
        Assert.Equal(["c20", "c40", "c50"], keep.Select(c => c.Path));
        Assert.Equal(["c10", "c30"], delete.Select(c => c.Path));
        var (keepHigh, _) = CheckpointRetention.Apply(entries, new RetentionPolicy(1, "accuracy", LowerIsBetter: false));
        Assert.Equal(["c10", "c50"], keepHigh.Select(c => c.Path));
    }

    [Fact]
    public void NegativeKeepLastIsAnErrorNamingTheField()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointRetention.Apply([], new RetentionPolicy(-1)));
        Assert.Contains("KeepLast", error.Message);
    }

    [Property]
    public Property KeepAndDeletePartitionTheCheckpoints(int[] metrics, NonNegativeInt keepLast, bool lowerIsBetter)
    {
        var entries = Entries(metrics);
        var (keep, delete) = CheckpointRetention.Apply(entries, new RetentionPolicy(keepLast.Get, "loss", lowerIsBetter));
        return (keep.Count + delete.Count == entries.Count && keep.Concat(delete).OrderBy(c => c.Step).SequenceEqual(entries))
            .ToProperty();
    }

    [Property]
    public Property NewestKAndBestAreAlwaysKeptAndNothingElse(int[] metrics, NonNegativeInt keepLast, bool lowerIsBetter)
    {
        var entries = Entries(metrics);
        var (keep, _) = CheckpointRetention.Apply(entries, new RetentionPolicy(keepLast.Get, "loss", lowerIsBetter));
        var scored = entries.Where(c => c.Metric is not null).ToList();
        var bestValue = scored.Count == 0 ? (double?)null : lowerIsBetter ? scored.Min(c => c.Metric) : scored.Max(c => c.Metric);
        var newest = entries.TakeLast(keepLast.Get).ToList();
        var keptBest = keep.Where(c => !newest.Contains(c)).ToList();
        return (newest.All(keep.Contains)
                && keep.Count <= newest.Count + 1
                && keptBest.All(c => c.Metric == bestValue)
                && (bestValue is null || keep.Any(c => c.Metric == bestValue)))
            .ToProperty();
    }
}
