using System.Reactive.Linq;
using Wav2Vec.Checkpoints;
using Wav2Vec.Errors;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class PretrainingRunTests
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ARunKilledMidwayResumesToTheSameMetricsAsAnUninterruptedRun(int accumulate)
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var whole = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "whole") with { Accumulate = accumulate })).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], whole.Select(r => r.Step));

        // A crash before step 5 completes: the newest checkpoint is step 4's.
        var crashed = Micro(corpus, output, "crashed") with { Accumulate = accumulate };
        var (seen, resumed) = await CrashingSession.KillAndResume(crashed, crashBefore: 5);
        Assert.Equal(4, seen.Count);

        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        foreach (var report in seen.Concat(resumed))
        {
            var reference = whole.Single(r => r.Step == report.Step);
            foreach (var name in new[] { MetricNames.Loss, MetricNames.Contrastive, MetricNames.Perplexity, MetricNames.Accuracy, MetricNames.GradNorm, "batch_size" })
                Assert.Equal(reference.Metric(name), report.Metric(name));
            Assert.Equal(reference.LearningRate, report.LearningRate);
            Assert.Equal(reference.Epoch, report.Epoch);
        }
        Assert.True(File.Exists(Path.Combine(output, "crashed", "final", "config.json")));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AccumulatingMicroBatchesConsumesThatManyBatchesPerUpdate()
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var once = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "once") with { Steps = 4 })).ToList();
        var twice = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "twice") with { Steps = 2, Accumulate = 2 })).ToList();
        // Both runs see the same four batches in the same order: two updates of two batches each.
        Assert.Equal(once.Take(2).Sum(r => r.Metric("batch_size")), twice[0].Metric("batch_size"));
        Assert.Equal(once.Skip(2).Sum(r => r.Metric("batch_size")), twice[1].Metric("batch_size"));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task PretrainingKeepsTheCheckpointWithTheLowestLossAsBest()
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "best") with { Output = new OutputSpec { Folder = output, CheckpointEvery = 1, KeepLast = 1 } };
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();
        var lowest = reports.MinBy(r => r.Metric(MetricNames.Loss))!;
        var best = Experiment.Folder(experiment).Best;
        Assert.True(Directory.Exists(lowest.Checkpoint), $"the best checkpoint (step {lowest.Step}) was pruned");
        Assert.Equal(File.ReadAllBytes(Path.Combine(lowest.Checkpoint!, "model.safetensors")), File.ReadAllBytes(Path.Combine(best, "model.safetensors")));
        Assert.False(PreprocessorConfig.DoNormalize(best));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task InitFromStartsFromTheFoldersWeightsIncludingTheQuantizer()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var output = Path.Combine(corpus, "runs");
        var first = Micro(corpus, output, "first") with { Steps = 3 };
        await TrainingPipeline.Run(() => new Trainer(first)).ToList();
        var start = Experiment.Folder(first).Final;

        // A learning rate of 1e-30 leaves the weights where the run started, so the final weights show the start.
        Dictionary<string, TorchSharp.torch.Tensor> Final(PretrainExperiment e)
        {
            TrainingPipeline.Run(() => new Trainer(e with { Steps = 1, Optimizer = new OptimizerSpec { LearningRate = 1e-30 } })).Wait();
            return StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(Experiment.Folder(e).Final));
        }
        var initial = StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(start));
        var continued = Final(Micro(corpus, output, "continued") with { InitFrom = start, Seed = 11 });
        var fresh = Final(Micro(corpus, output, "fresh") with { Seed = 11 });
        Assert.Equal(initial.Keys.Order(), continued.Keys.Order());
        foreach (var name in new[] { "quantizer.codevectors", "quantizer.weight_proj.weight", "project_q.weight", "wav2vec2.feature_extractor.conv_layers.0.conv.weight" })
        {
            Assert.True(initial[name].allclose(continued[name], rtol: 0, atol: 1e-6), $"{name} does not start from the folder");
            Assert.False(initial[name].allclose(fresh[name], rtol: 0, atol: 1e-6), $"{name} of a fresh run equals the folder's");
        }
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void InitFromAFolderOfAnotherArchitectureNamesTheTensorsThatDoNotFit()
    {
        var corpus = TinyCorpus.Create(count: 4);
        var output = Path.Combine(corpus, "runs");
        var first = Micro(corpus, output, "first") with { Steps = 1 };
        TrainingPipeline.Run(() => new Trainer(first)).Wait();
        var wider = Micro(corpus, output, "wider") with { InitFrom = Experiment.Folder(first).Final };
        wider = wider with { Model = wider.Model with { HiddenSize = 48 } };
        var error = Assert.Throws<CheckpointMismatchException>(() => new Trainer(wider));
        Assert.Contains("has shape [32], the model expects [48]", error.Message);
        Assert.Contains(Experiment.Folder(first).Final, error.Message);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void BiasesNormsAndTheCodebookGetNoWeightDecayUnlessNoDecaySaysOtherwise()
    {
        var corpus = TinyCorpus.Create(count: 4);
        var output = Path.Combine(corpus, "runs");
        IReadOnlyList<string>[] Groups(PretrainExperiment e)
        {
            using var trainer = new Trainer(e);
            var names = trainer.Model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
            Assert.Equal([e.Optimizer.WeightDecay, 0.0], trainer.Optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().Select(g => g.Options.weight_decay!.Value));
            return [.. trainer.Optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().Select(g => (IReadOnlyList<string>)[.. g.Parameters.Select(p => names[p.Handle]).Order()])];
        }
        var defaults = Groups(Micro(corpus, output, "defaults"));
        Assert.Contains("quantizer.codevectors", defaults[1]);
        Assert.Contains("wav2vec2.encoder.layers.0.final_layer_norm.weight", defaults[1]);
        Assert.Contains("project_q.bias", defaults[1]);
        Assert.Contains("project_q.weight", defaults[0]);
        Assert.Contains("wav2vec2.encoder.layers.0.attention.q_proj.weight", defaults[0]);

        var only = Groups(Micro(corpus, output, "only") with { Optimizer = new OptimizerSpec { NoDecay = ["*.q_proj.*"] } });
        Assert.Equal(["wav2vec2.encoder.layers.0.attention.q_proj.bias", "wav2vec2.encoder.layers.0.attention.q_proj.weight"], only[1]);
        Assert.Contains("quantizer.codevectors", only[0]);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void AFreshStartRefusesToOverwriteARunWithCheckpoints()
    {
        var corpus = TinyCorpus.Create(count: 4);
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "once") with { Steps = 2 };
        TrainingPipeline.Run(() => new Trainer(experiment)).Wait();
        var error = ErrorReport.From(Assert.Throws<HintedException>(() => new Trainer(experiment)));
        Assert.Equal(Experiment.Folder(experiment).Path, error.Where);
        Assert.Contains("--resume", error.Hint);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task DiagnosticsAreReportedEveryNUpdatesWithoutChangingTheRun()
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var plain = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "plain") with { Steps = 4, DiagnosticsEvery = 0 })).ToList();
        var measured = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "measured") with { Steps = 4, DiagnosticsEvery = 2 })).ToList();

        // Updates 0 and 2 (reported as steps 1 and 3) carry the diagnostics; the others and the plain run do not.
        Assert.Equal([true, false, true, false], measured.Select(r => r.Metric(DiagnosticNames.CodeAgreement) is not null));
        Assert.All(plain, r => Assert.Null(r.Metric(DiagnosticNames.CodeAgreement)));
        foreach (var report in measured.Where(r => r.Metric(DiagnosticNames.CodeAgreement) is not null))
        {
            Assert.InRange(report.Metric(DiagnosticNames.CodeAgreement)!.Value, 0, 1);
            Assert.True(report.Metric(DiagnosticNames.QuantizerLogitsStd) > 0);
            Assert.True(report.Metric(DiagnosticNames.ConvFeaturesRms) > 0);
            Assert.True(report.Metric(DiagnosticNames.GradNorm("transformer")) > 0);
            Assert.True(report.Metric(DiagnosticNames.GradNorm("quantizer")) > 0);
        }
        for (var i = 0; i < plain.Count; i++)
            foreach (var name in new[] { MetricNames.Loss, MetricNames.Accuracy, MetricNames.Perplexity, MetricNames.GradNorm })
                Assert.Equal(plain[i].Metric(name), measured[i].Metric(name));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task TheFixedDevBatchIsMeasuredAtEachEvaluationAgainstItsChanceLevelAndChoosesBest()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var output = Path.Combine(corpus, "runs");
        PretrainExperiment Described(string name, long seed) => Micro(corpus, output, name) with
        {
            Corpus = new CorpusSpec { Folder = corpus, Dev = "dev", Test = null }, DevUtterances = 3, Steps = 4, Seed = seed,
            Output = new OutputSpec { Folder = output, CheckpointEvery = 100, KeepLast = 4, EvaluateEvery = 2 },
        };
        var first = await TrainingPipeline.Run(() => new Trainer(Described("first", 3))).ToList();

        Assert.Equal([false, true, false, true], first.Select(r => r.Metric(DiagnosticNames.DevAccuracy) is not null));
        var evaluated = first.Where(r => r.Metric(DiagnosticNames.DevAccuracy) is not null).ToList();
        Assert.All(evaluated, r =>
        {
            // K = 8: 1/9 and ln 9, raised by distractors equal to their positive (left out of the task).
            var left = 8 * (1 - r.Metric(DiagnosticNames.DevPrefix + DiagnosticNames.DistractorsEqual)!.Value);
            Assert.InRange(r.Metric(DiagnosticNames.DevChanceAccuracy)!.Value, 1 / (1 + left) - 1e-9, 1.0);
            Assert.InRange(r.Metric(DiagnosticNames.DevChanceContrastive)!.Value, 0.0, Math.Log(1 + left) + 1e-9);
            Assert.InRange(r.Metric(DiagnosticNames.DevAccuracy)!.Value, 0, 1);
            Assert.NotNull(r.Metric(DiagnosticNames.DevPrefix + DiagnosticNames.CodeAgreement));
        });
        // best/ is the evaluated checkpoint with the lowest dev contrastive loss against its chance level.
        Assert.All(evaluated, r => Assert.Equal(r.Metric(DiagnosticNames.DevContrastive)!.Value - r.Metric(DiagnosticNames.DevChanceContrastive)!.Value,
            r.Metric(DiagnosticNames.DevContrastiveOverChance)!.Value, 9));
        var lowest = evaluated.MinBy(r => r.Metric(DiagnosticNames.DevContrastiveOverChance))!;
        var experiment = Described("first", 3);
        Assert.Equal(File.ReadAllBytes(Path.Combine(lowest.Checkpoint!, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(Experiment.Folder(experiment).Best, "model.safetensors")));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void ADevProbeLargerThanItsSplitStillMeasuresEveryUtterance()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var experiment = Micro(corpus, Path.Combine(corpus, "runs"), "probe");
        var probe = DevProbe.FromManifest(corpus, "dev", experiment.ResolvedModel, experiment.Masking,
            ObjectiveOptions.From(experiment.ResolvedModel), new DevProbeOptions(Utterances: 32, CropSamples: 16000));
        Assert.Equal(3, probe.Rows);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task ABf16DescriptionTrainsInMixedPrecisionOnFloat32Weights()
    {
        var corpus = TinyCorpus.Create();
        var output = Path.Combine(corpus, "runs");
        var fp32 = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "fp32") with { Steps = 2 })).ToList();
        var mixed = Micro(corpus, output, "bf16") with { Steps = 2, Precision = "bf16" };
        using (var trainer = new Trainer(mixed))
        {
            Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, trainer.ComputeType);
            Assert.All(trainer.Model.parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
        }
        Directory.Delete(Path.Combine(output, "bf16"), true);
        var bf16 = await TrainingPipeline.Run(() => new Trainer(mixed)).ToList();
        Assert.Equal(fp32[0].Metric(MetricNames.Loss)!.Value, bf16[0].Metric(MetricNames.Loss)!.Value, 0.05 * fp32[0].Metric(MetricNames.Loss)!.Value);
        Assert.True(double.IsFinite(bf16[1].Metric(MetricNames.GradNorm)!.Value));

        var error = Assert.Throws<ArgumentException>(() => (mixed with { Precision = "fp16" }).Validate("x.json"));
        Assert.Equal("x.json: field 'precision' is 'fp16'; use fp32, bf16 or auto.", error.Message);
        Directory.Delete(corpus, true);
    }
}
