using TorchSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class CheckpointStoreTests
{
    static string TempFolder() => Path.Combine(Path.GetTempPath(), "ckpt-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void KeepsTheLastKAndTheBestAndIgnoresHalfWrittenFolders()
    {
        var store = new CheckpointStore(TempFolder(), new RetentionPolicy(KeepLast: 2, BestMetric: "wer"));
        double[] wer = [0.9, 0.2, 0.5, 0.4, 0.6];
        for (int i = 0; i < wer.Length; i++)
        {
            var state = new TrainerState(Step: (i + 1) * 10, Epoch: 0, BatchInEpoch: i, Seed: 1, Metric: wer[i]);
            store.Save(state.Step, dir => state.Save(dir));
        }
        Directory.CreateDirectory(Path.Combine(store.Folder, CheckpointStore.NameFor(60) + ".tmp-deadbeef"));
        Assert.Equal([20L, 40, 50], store.List().Select(c => c.Step));
        Assert.EndsWith(CheckpointStore.NameFor(50), store.Latest());
        Assert.EndsWith(CheckpointStore.NameFor(20), store.Best());
        Directory.Delete(store.Folder, true);
    }

    [Fact]
    public void TrainerStateRoundTripsAndRestoresTheTorchGenerator()
    {
        TorchRuntime.Initialize();
        var folder = TempFolder();
        Directory.CreateDirectory(folder);
        torch.manual_seed(7);
        var state = new TrainerState(12, 1, 3, 7, SkippedSteps: 2, Metric: 0.25);
        state.Save(folder);
        using var expected = torch.rand(4);
        torch.manual_seed(99);
        Assert.Equal(state with { Counters = null }, TrainerState.Load(folder) with { Counters = null });
        state.RestoreRng(folder, _ => { });
        using var actual = torch.rand(4);
        Assert.True(expected.eq(actual).all().item<bool>());
        Directory.Delete(folder, true);
    }

    [Fact]
    public void AMissingTrainerStateIsAnErrorNamingTheFile()
    {
        var folder = TempFolder();
        Directory.CreateDirectory(folder);
        var error = Assert.Throws<FileNotFoundException>(() => TrainerState.Load(folder));
        Assert.Contains(Path.Combine(folder, TrainerState.FileName), error.Message);
        Directory.Delete(folder, true);
    }
}
