using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class FinetuneSessionTests
{
    static string MicroPretrained(string folder)
    {
        TorchRuntime.Seed(11);
        var config = Wav2Vec2Presets.Tiny() with
        {
            ConvDim = [32, 32, 32, 32, 32, 32, 32], HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2,
            IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
            NumCodevectorsPerGroup = 16, CodevectorDim = 32, ProjCodevectorDim = 32, NumNegatives = 8,
        };
        var path = Path.Combine(folder, "pretrained");
        using var model = new Wav2Vec2ForPreTraining(config);
        model.SavePretrained(path);
        return path;
    }

    static FinetuneExperiment Micro(string corpus, string pretrained, string name) => new()
    {
        Name = name,
        Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = "dev", Test = null },
        Pretrained = pretrained,
        TimeMasking = new MaskingOptions(0.1, 2, MinMasks: 1),
        Optimizer = new OptimizerSpec { LearningRate = 1e-3, WarmupRatio = 0.1, HoldRatio = 0.4, DecayRatio = 0.5 },
        Steps = 6,
        FreezeTransformerSteps = 2,
        BatchSamples = 16000 * 3,
        Seed = 4,
        Device = "cpu",
        Output = new OutputSpec { Folder = Path.Combine(corpus, "runs"), CheckpointEvery = 2, KeepLast = 1, EvaluateEvery = 3 },
    };

    [Fact]
    public async Task ResumedFineTuningMatchesAnUninterruptedRunAndKeepsTheBestByDevWer()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var whole = await TrainingPipeline.Run(() => new FinetuneSession(Micro(corpus, pretrained, "whole"))).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], whole.Select(r => r.Step));
        Assert.Equal([3L, 6], whole.Where(r => r.Metric(MetricNames.Wer) is not null).Select(r => r.Step));
        Assert.Equal([1.0, 1, 0, 0, 0, 0], whole.Select(r => r.Metric("transformer_frozen")!.Value));

        var crashed = Micro(corpus, pretrained, "crashed");
        var seen = new List<StepReport>();
        await Assert.ThrowsAsync<IOException>(async () => await TrainingPipeline.Run(() => new CrashingSession(new FinetuneSession(crashed), crashBefore: 5))
            .Do(seen.Add).ToList());
        var resumed = await TrainingPipeline.Run(() => new FinetuneSession(crashed, resume: true)).ToList();
        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        foreach (var report in seen.Concat(resumed))
        {
            var reference = whole.Single(r => r.Step == report.Step);
            Assert.Equal(reference.Metric(MetricNames.Ctc), report.Metric(MetricNames.Ctc));
            Assert.Equal(reference.Metric(MetricNames.Wer), report.Metric(MetricNames.Wer));
            Assert.Equal(reference.LearningRate, report.LearningRate);
        }
        var run = RunFolder.For(crashed.Output.Folder, crashed.Name);
        Assert.True(File.Exists(Path.Combine(run.Path, "best", "vocab.json")));
        Assert.True(File.Exists(Path.Combine(run.Final, "config.json")));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task BestByCerScoresCheckpointsWithTheDevCer()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var experiment = Micro(corpus, pretrained, "by-cer") with { BestBy = "cer" };
        var reports = await TrainingPipeline.Run(() => new FinetuneSession(experiment)).ToList();
        var evaluated = reports.Where(r => r.Checkpoint is not null && r.Metric(MetricNames.Cer) is not null).ToList();
        Assert.Equal([3L, 6], evaluated.Select(r => r.Step));
        var kept = evaluated.Where(r => Directory.Exists(r.Checkpoint)).ToList();
        Assert.NotEmpty(kept);
        Assert.All(kept, r => Assert.NotEqual(r.Metric(MetricNames.Wer), r.Metric(MetricNames.Cer)));
        foreach (var report in kept)
            Assert.Equal(report.Metric(MetricNames.Cer), TrainerState.Load(report.Checkpoint!).Metric);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void AnUnlabelledTrainingSplitIsAnErrorNamingTheManifest()
    {
        var corpus = TinyCorpus.Create(count: 3);
        var pretrained = MicroPretrained(corpus);
        var error = Assert.Throws<InvalidDataException>(() => new FinetuneSession(Micro(corpus, pretrained, "x") with
        {
            Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = null },
        }));
        Assert.Contains("train.tsv", error.Message);
        Directory.Delete(corpus, true);
    }
}
