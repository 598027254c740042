using System.Runtime;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Training;

/// <summary>The optimiser step runs with the garbage collector held off, and the guard never stands in the way.</summary>
[Collection(ProcessWideGcCollection.Name)]
public class TrainingUpdateTests
{
    [Fact]
    public void TheGuardedActionRunsWithoutCollectionsAndTheRegionEndsAfterIt()
    {
        var collections = GC.CollectionCount(0);
        GCLatencyMode inside = default;
        var during = -1;
        TrainingUpdate.WithoutCollection(() =>
        {
            inside = GCSettings.LatencyMode;
            var garbage = Enumerable.Range(0, 10_000).Select(i => new byte[64]).ToList();
            during = GC.CollectionCount(0);
            GC.KeepAlive(garbage);
        });
        Assert.Equal(GCLatencyMode.NoGCRegion, inside);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.True(during >= collections);
        Assert.Equal(during, GC.CollectionCount(0));
    }

    [Fact]
    public void AnActionThatAllocatesPastTheBudgetOrNestsAnotherStillRunsAndThrowsNothing()
    {
        var ran = 0;
        TrainingUpdate.WithoutCollection(() =>
        {
            TrainingUpdate.WithoutCollection(() => ran++);
            var big = Enumerable.Range(0, 64).Select(_ => new byte[1 << 20]).ToList();
            GC.KeepAlive(big);
            ran++;
        });
        Assert.Equal(2, ran);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
