using FsCheck.Xunit;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Training;

public class BatchPlanTests
{
    [Property]
    public bool EveryUtteranceAppearsExactlyOnceAndBatchesKeepTheBudget(int seed, byte count)
    {
        var random = new Random(seed);
        var lengths = Enumerable.Range(0, count).Select(_ => (long)random.Next(1000, 50_000)).ToList();
        var batches = BatchPlan.Epoch(lengths, 100_000, seed, 3);
        return batches.SelectMany(b => b).Order().SequenceEqual(Enumerable.Range(0, count))
               && batches.All(b => b.Length == 1 || b.Max(i => lengths[i]) * b.Length <= 100_000);
    }

    [Fact]
    public void SameSeedAndEpochGiveTheSameBatchesAndOtherEpochsDiffer()
    {
        var lengths = Enumerable.Range(0, 40).Select(i => (long)(1000 + 37 * i % 500)).ToList();
        Assert.Equal(BatchPlan.Epoch(lengths, 5000, 1, 0), BatchPlan.Epoch(lengths, 5000, 1, 0));
        Assert.NotEqual(BatchPlan.Epoch(lengths, 5000, 1, 0), BatchPlan.Epoch(lengths, 5000, 1, 1));
    }
}
