using System.Reactive.Linq;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class FinetuneExperimentRunTests
{
    internal static readonly Wav2Vec2Config MicroNetwork = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [32, 32, 32, 32, 32, 32, 32], HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2,
        IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
        NumCodevectorsPerGroup = 16, CodevectorDim = 32, ProjCodevectorDim = 32, NumNegatives = 8,
    };

    internal static string MicroPretrained(string folder, bool normalized = false)
    {
        TorchRuntime.Seed(11);
        var path = Path.Combine(folder, "pretrained");
        using var model = new Wav2Vec2ForPreTraining(MicroNetwork);
        model.SavePretrained(path);
        if (normalized) PreprocessorConfig.Write(path, doNormalize: true, MicroNetwork);
        return path;
    }

    internal static FinetuneExperiment Micro(string corpus, string pretrained, string name) => new()
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ResumedFineTuningMatchesAnUninterruptedRunAndKeepsTheBestByDevWer(int accumulate)
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var whole = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, pretrained, "whole") with { Accumulate = accumulate })).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], whole.Select(r => r.Step));
        Assert.Equal([3L, 6], whole.Where(r => r.Metric(MetricNames.Wer) is not null).Select(r => r.Step));
        Assert.Equal([1.0, 1, 0, 0, 0, 0], whole.Select(r => r.Metric("transformer_frozen")!.Value));

        var crashed = Micro(corpus, pretrained, "crashed") with { Accumulate = accumulate };
        var (seen, resumed) = await CrashingSession.KillAndResume(crashed, crashBefore: 5);
        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        foreach (var report in seen.Concat(resumed))
        {
            var reference = whole.Single(r => r.Step == report.Step);
            Assert.Equal(reference.Metric(MetricNames.Ctc), report.Metric(MetricNames.Ctc));
            Assert.Equal(reference.Metric(MetricNames.Wer), report.Metric(MetricNames.Wer));
            Assert.Equal(reference.LearningRate, report.LearningRate);
        }
        var run = RunFolder.For(crashed.Output.Folder, crashed.Name);
        Assert.True(File.Exists(Path.Combine(run.Best, "vocab.json")));
        Assert.True(File.Exists(Path.Combine(run.Final, "config.json")));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task BestByCerScoresCheckpointsWithTheDevCer()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var experiment = Micro(corpus, pretrained, "by-cer") with { BestBy = "cer" };
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();
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
    public void TheDescriptionsOptimiserSettingsReachAdamW()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var optimizer = new OptimizerSpec { LearningRate = 1e-3, WeightDecay = 0.3, Beta1 = 0.8, Beta2 = 0.9, Epsilon = 1e-5, WarmupRatio = 0.1, HoldRatio = 0.4, DecayRatio = 0.5 };
        using var trainer = new Trainer(Micro(corpus, pretrained, "adamw") with { Optimizer = optimizer });
        var groups = trainer.Optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().Select(g => g.Options).ToList();
        Assert.Equal([(0.8, 0.9, 1e-5, 0.3), (0.8, 0.9, 1e-5, 0.0)], groups.Select(o => (o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value)));
        // The frozen feature encoder is not optimised at all.
        var optimised = trainer.Optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().SelectMany(g => g.Parameters).Select(p => p.Handle).ToHashSet();
        Assert.DoesNotContain(trainer.Model.named_parameters(), p => p.name.StartsWith("wav2vec2.feature_extractor.", StringComparison.Ordinal) && optimised.Contains(p.parameter.Handle));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void WhatTheCheckpointLoadKeptAndReplacedReachesTheLog()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus);
        var messages = new List<string>();
        using (new Trainer(Micro(corpus, pretrained, "logged"), log: messages.Add)) { }
        Assert.Contains(messages, m => m.Contains(pretrained) && m.Contains("lm_head"));
        Assert.Contains(messages, m => m.StartsWith("new lm_head for 32 tokens", StringComparison.Ordinal));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void ReinitializedTopLayersStartFreshWhileTheLayersBelowKeepTheirPretrainedWeights()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        TorchRuntime.Seed(11);
        var pretrained = Path.Combine(corpus, "two-layers");
        var network = MicroNetwork with { NumHiddenLayers = 2, InitializerRange = 0.3 };
        using (var model = new Wav2Vec2ForPreTraining(network))
        {
            // Pre-trained norms are not at their initial 1 and 0.
            using (torch.no_grad())
                foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("layer_norm")))
                    p.add_(0.5);
            model.SavePretrained(pretrained);
        }
        var file = StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(pretrained));
        var messages = new List<string>();
        using var trainer = new Trainer(Micro(corpus, pretrained, "reinit") with { ReinitializeLayers = 1 }, log: messages.Add);
        var now = trainer.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Tensor Now(string name) => now["wav2vec2." + name];
        Tensor Before(string name) => file["wav2vec2." + name];

        foreach (var name in file.Keys.Where(k => k.StartsWith("wav2vec2.encoder.layers.0.", StringComparison.Ordinal)).Select(k => k["wav2vec2.".Length..]))
            Assert.True(Before(name).allclose(Now(name), rtol: 0, atol: 0), $"{name} should keep its pre-trained value");
        foreach (var part in new[] { "attention.q_proj", "attention.out_proj", "feed_forward.intermediate_dense", "feed_forward.output_dense" })
        {
            var weight = Now($"encoder.layers.1.{part}.weight");
            Assert.False(Before($"encoder.layers.1.{part}.weight").allclose(weight), $"{part} should be drawn afresh");
            Assert.InRange(weight.std().item<float>(), 0.2, 0.4); // N(0, initializer_range²)
            Assert.Equal(0, Now($"encoder.layers.1.{part}.bias").abs().max().item<float>());
        }
        foreach (var norm in new[] { "layer_norm", "final_layer_norm" })
        {
            Assert.True(Now($"encoder.layers.1.{norm}.weight").eq(1).all().item<bool>());
            Assert.True(Now($"encoder.layers.1.{norm}.bias").eq(0).all().item<bool>());
        }
        Assert.True(Before("feature_projection.projection.weight").allclose(Now("feature_projection.projection.weight"), rtol: 0, atol: 0));
        Assert.Contains(messages, m => m.StartsWith("Transformer layers 1–1 of ", StringComparison.Ordinal) && m.Contains("reinitializeLayers 1"));

        var tooMany = Assert.Throws<ArgumentException>(() => new Trainer(Micro(corpus, pretrained, "three") with { ReinitializeLayers = 3 }));
        Assert.Contains("reinitializeLayers is 3", tooMany.Message);
        Assert.Contains("2 Transformer layers", tooMany.Message);
        var scratch = Assert.Throws<ArgumentException>(() => ExperimentValidation.Check(Micro(corpus, pretrained, "scratch") with
        {
            Pretrained = null, Model = MicroNetwork, ReinitializeLayers = 1,
        }));
        Assert.Contains("field 'reinitializeLayers'", scratch.Message);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void KeptLayersAreTheBottomOnesWithTheirPretrainedWeightsAndTheSavedConfigSaysHowMany()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        TorchRuntime.Seed(12);
        var pretrained = Path.Combine(corpus, "three-layers");
        using (var model = new Wav2Vec2ForPreTraining(MicroNetwork with { NumHiddenLayers = 3 }))
            model.SavePretrained(pretrained);
        var file = StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(pretrained));
        var messages = new List<string>();
        var probe = Micro(corpus, pretrained, "keep2") with { KeepLayers = 2, ReinitializeLayers = 1 };
        using (var trainer = new Trainer(probe, log: messages.Add))
        {
            var now = trainer.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            Assert.DoesNotContain(now.Keys, k => k.StartsWith("wav2vec2.encoder.layers.2.", StringComparison.Ordinal));
            foreach (var name in file.Keys.Where(k => k.StartsWith("wav2vec2.encoder.layers.0.", StringComparison.Ordinal)))
                Assert.True(file[name].allclose(now[name], rtol: 0, atol: 0), $"{name} should keep its pre-trained value");
            // reinitializeLayers counts among the kept layers: layer 1 is the top one now.
            Assert.False(file["wav2vec2.encoder.layers.1.attention.q_proj.weight"].allclose(now["wav2vec2.encoder.layers.1.attention.q_proj.weight"]));
            Assert.Equal(2, ((Wav2Vec2ForCtc)trainer.Model).Config.NumHiddenLayers);
            var saved = Path.Combine(corpus, "saved");
            FineTuning.Save((Wav2Vec2ForCtc)trainer.Model, Vocabulary.English, saved, pretrained);
            Assert.Contains("\"num_hidden_layers\": 2", File.ReadAllText(Path.Combine(saved, "config.json")));
        }
        Assert.Contains(messages, m => m.StartsWith("Transformer layers 2–2 of ", StringComparison.Ordinal) && m.Contains("keepLayers 2"));

        var tooMany = Assert.Throws<ArgumentException>(() => new Trainer(Micro(corpus, pretrained, "four") with { KeepLayers = 4 }));
        Assert.Contains("keepLayers is 4", tooMany.Message);
        Assert.Contains("3 Transformer layers", tooMany.Message);
        foreach (var (bad, field) in new (FinetuneExperiment, string)[]
        {
            (probe with { KeepLayers = 0, ReinitializeLayers = 0 }, "keepLayers"),
            (probe with { Pretrained = null, Model = MicroNetwork, ReinitializeLayers = 0 }, "keepLayers"),
            (probe with { ReinitializeLayers = 3 }, "reinitializeLayers"),
        })
            Assert.Contains($"field '{field}'", Assert.Throws<ArgumentException>(() => ExperimentValidation.Check(bad)).Message);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AModelFromScratchIsInitialisedFromTheSeedAndTrainsItsFeatureEncoderWhenNotFrozen()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var scratch = new FinetuneExperiment
        {
            Name = "scratch", Model = MicroNetwork, FreezeFeatureEncoder = false, CacheFeatures = false,
            Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = "dev", Test = null },
            Optimizer = new OptimizerSpec { LearningRate = 1e-3, WarmupRatio = 0, HoldRatio = 1, DecayRatio = 0 },
            Steps = 3, FreezeTransformerSteps = 0, BatchSamples = 16000 * 3, Seed = 4, Device = "cpu",
            Output = new OutputSpec { Folder = Path.Combine(corpus, "runs"), CheckpointEvery = 3 },
        };
        var reports = await TrainingPipeline.Run(() => new Trainer(scratch)).ToList();
        Assert.Equal([1L, 2, 3], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Metric(MetricNames.Ctc)!.Value)));

        // The same seed gives the same initial network as pre-training builds; the feature encoder moved.
        TorchRuntime.Seed(scratch.Seed);
        using var initial = new Wav2Vec2ForPreTraining(MicroNetwork);
        using var trained = CtcRecognizer.Load(RunFolder.For(scratch.Output.Folder, "scratch").Final);
        var name = "feature_extractor.conv_layers.0.conv.weight";
        var before = initial.Wav2Vec2.named_parameters().Single(p => p.name == name).parameter;
        var after = trained.Model.Wav2Vec2.named_parameters().Single(p => p.name == name).parameter;
        Assert.False(before.allclose(after), "the feature encoder should train when freezeFeatureEncoder is false");
        Assert.True(before.allclose(after, rtol: 0, atol: 0.05), "the scratch model should start from the seed's initialisation");
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AModelTrainedOnStandardisedAudioIsEvaluatedOnStandardisedAudioEverywhere()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = MicroPretrained(corpus, normalized: true);
        var experiment = Micro(corpus, pretrained, "normalised") with { Steps = 3, Corpus = Micro(corpus, pretrained, "x").Corpus with { Normalize = true } };
        var last = await TrainingPipeline.Run(() => new Trainer(experiment)).LastAsync();

        using var recognizer = CtcRecognizer.Load(RunFolder.For(experiment.Output.Folder, experiment.Name).Final);
        Assert.True(recognizer.NormalizeWaveform);
        var dev = Evaluation.Run(recognizer, FineTuning.Labelled(corpus, "dev").Select(u => u.Decode()), TranscriptNormalizer.English);
        Assert.Equal(last.Metric(MetricNames.Cer), dev.Cer);

        var mismatch = Assert.Throws<ArgumentException>(() => new Trainer(experiment with { Name = "raw", Corpus = experiment.Corpus with { Normalize = false } }));
        Assert.Contains("corpus.normalize", mismatch.Message);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void AnUnlabelledTrainingSplitIsAnErrorNamingTheManifest()
    {
        var corpus = TinyCorpus.Create(count: 3);
        var pretrained = MicroPretrained(corpus);
        var error = Assert.Throws<InvalidDataException>(() => new Trainer(Micro(corpus, pretrained, "x") with
        {
            Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = null },
        }));
        Assert.Contains("train.tsv", error.Message);
        Directory.Delete(corpus, true);
    }
}
