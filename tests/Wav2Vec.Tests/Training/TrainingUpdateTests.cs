using System.Runtime;
using TorchSharp;
using Wav2Vec.Torch;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Training;

/// <summary>A whole update (forward, backward, clipping, optimiser step) runs with the garbage collector held off, and the guard never stands in the way.</summary>
[Collection(ProcessWideGcCollection.Name)]
public class TrainingUpdateTests
{
    [Fact]
    public void TheGuardedActionRunsWithoutCollectionsAndTheRegionEndsAfterIt()
    {
        var collections = GC.CollectionCount(0);
        GCLatencyMode inside = default;
        var during = -1;
        TorchSharpScalars.WithoutCollection(() =>
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
        TorchSharpScalars.WithoutCollection(() =>
        {
            TorchSharpScalars.WithoutCollection(() => ran++);
            var big = Enumerable.Range(0, 128).Select(_ => new byte[1 << 20]).ToList();
            GC.KeepAlive(big);
            ran++;
        });
        Assert.Equal(2, ran);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void AWholeUpdateFromTheFirstForwardToTheOptimiserStepSeesNoCollection()
    {
        using var model = torch.nn.Linear(8, 1);
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3);
        var (modes, counts) = (new List<GCLatencyMode>(), new List<int>());
        var report = TrainingUpdate.Apply(model, optimizer, 1.0, new[] { 0, 1, 2 }, (micro, _) =>
        {
            modes.Add(GCSettings.LatencyMode);
            counts.Add(GC.CollectionCount(0));
            // Managed garbage as a forward pass makes (tensor wrappers, scalars), well inside the budget.
            GC.KeepAlive(Enumerable.Range(0, 20_000).Select(i => new byte[64]).ToList());
            using var input = torch.full(4, 8, micro + 1f);
            return new MicroBatchLoss(model.forward(input).square().mean(), [], []);
        }, () =>
        {
            counts.Add(GC.CollectionCount(0));
            return [];
        });
        Assert.All(modes, m => Assert.Equal(GCLatencyMode.NoGCRegion, m));
        Assert.Single(counts.Distinct());
        Assert.False(report.Skipped);
        Assert.True(report.GradNorm > 0);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
