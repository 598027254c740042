using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class PretrainSessionTests
{
    internal static PretrainExperiment Micro(string corpus, string output, string name) => new()
    {
        Name = name,
        Corpus = new CorpusSpec { Folder = corpus, Dev = null, Test = null },
        Model = Wav2Vec2Presets.Tiny() with
        {
            ConvDim = [32, 32, 32, 32, 32, 32, 32], HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2,
            IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
            NumCodevectorsPerGroup = 16, CodevectorDim = 32, ProjCodevectorDim = 32, NumNegatives = 8,
        },
        Masking = new MaskingOptions(0.5, 5, MinMasks: 1),
        Steps = 6,
        BatchSamples = 16000 * 3,
        CropSamples = 16000,
        Seed = 3,
        Device = "cpu",
        Output = new OutputSpec { Folder = output, CheckpointEvery = 2, KeepLast = 2 },
    };

    [Fact]
    public async Task ARunKilledMidwayResumesToTheSameMetricsAsAnUninterruptedRun()
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var whole = await TrainingPipeline.Run(() => new PretrainSession(Micro(corpus, output, "whole"))).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], whole.Select(r => r.Step));

        // A crash before step 5 completes: the newest checkpoint is step 4's.
        var crashed = Micro(corpus, output, "crashed");
        var seen = new List<StepReport>();
        await Assert.ThrowsAsync<IOException>(async () => await TrainingPipeline.Run(() => new CrashingSession(new PretrainSession(crashed), crashBefore: 5))
            .Do(seen.Add).ToList());
        Assert.Equal(4, seen.Count);

        var resumed = await TrainingPipeline.Run(() => new PretrainSession(crashed, resume: true)).ToList();
        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        foreach (var report in seen.Concat(resumed))
        {
            var reference = whole.Single(r => r.Step == report.Step);
            foreach (var name in new[] { MetricNames.Loss, MetricNames.Contrastive, MetricNames.Perplexity, MetricNames.Accuracy, MetricNames.GradNorm })
                Assert.Equal(reference.Metric(name), report.Metric(name));
            Assert.Equal(reference.LearningRate, report.LearningRate);
        }
        Assert.True(File.Exists(Path.Combine(output, "crashed", "final", "config.json")));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void AFreshStartRefusesToOverwriteARunWithCheckpoints()
    {
        var corpus = TinyCorpus.Create(count: 4);
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "once") with { Steps = 2 };
        TrainingPipeline.Run(() => new PretrainSession(experiment)).Wait();
        var error = Assert.Throws<InvalidOperationException>(() => new PretrainSession(experiment));
        Assert.Contains("--resume", error.Message);
        Directory.Delete(corpus, true);
    }
}
