using System.Reactive.Linq;
using Wav2Vec.Checkpoints;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class BestRqRunTests
{
    static readonly PretrainObjectiveSpec Objective = new(PretrainObjectiveSpec.BestRq, CodebookSize: 64, CodebookDim: 8, Seed: 2);

    static PretrainExperiment Micro(string corpus, string output, string name) =>
        PretrainingRunTests.Micro(corpus, output, name) with { Objective = Objective };

    [Fact]
    public async Task ARunKilledMidwayResumesToTheSameTargetsAndMetrics()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var output = Path.Combine(corpus, "runs");
        var whole = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "whole"))).ToList();
        var crashed = Micro(corpus, output, "crashed");
        var (seen, resumed) = await CrashingSession.KillAndResume(crashed, crashBefore: 5);
        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        CrashingSession.AssertSameMetrics(whole, seen.Concat(resumed),
            MetricNames.Loss, MetricNames.Accuracy, MetricNames.CodePerplexity, MetricNames.ChanceAccuracy, MetricNames.GradNorm);
        Assert.Null(whole[0].Metric(MetricNames.Contrastive));

        var reseeded = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "reseeded") with
            { Steps = 1, Objective = Objective with { Seed = 3 } })).ToList();
        Assert.NotEqual(whole[0].Metric(MetricNames.CodePerplexity), reseeded[0].Metric(MetricNames.CodePerplexity));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task ACnnFrozenRunKilledMidwayResumesToTheSameMetricsWithTheFrozenEncoderItStartedWith()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var (first, final, _) = await WholeAndResumedAgree(corpus, Objective with { Features = PretrainObjectiveSpec.CnnFrozen });

        // The frozen copy is saved, the same in every checkpoint, and apart from the encoder that trained.
        const string copy = "best_rq.frozen_feature_extractor.conv_layers.0.conv.weight", live = "wav2vec2.feature_extractor.conv_layers.0.conv.weight";
        Assert.True(first[copy].eq(final[copy]).all().item<bool>());
        Assert.False(final[copy].eq(final[live]).all().item<bool>());
        Directory.Delete(corpus, true);
    }

    /// <summary>
    /// Over the training CNN's features (which move as it trains), a resume that fitted the codebook again would change
    /// the targets and so the metrics: the k-means codebook is fitted once, from the training pool, and saved.
    /// </summary>
    [Fact]
    public async Task AKMeansCodebookIsFittedOnceFromTheTrainingPoolAndARunKilledMidwayResumesWithIt()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var log = new List<string>();
        var kmeans = Objective with { Codebook = PretrainObjectiveSpec.KMeansCodebook, CodebookSize = 12, CodebookUtterances = 4 };
        var (first, final, crashed) = await WholeAndResumedAgree(corpus, kmeans, log.Add);
        var fitted = Assert.Single(log, l => l.StartsWith("k-means codebook:", StringComparison.Ordinal));
        Assert.Matches(@"^k-means codebook: 12 centroids of the cnn features of 4 training utterances in \d+ s; mean cosine to the centroid 0\.\d{3}, \d+ codes used, perplexity \d+\.\d$", fitted);

        Assert.True(first["best_rq.codebook"].eq(final["best_rq.codebook"]).all().item<bool>());
        long width = crashed.ResolvedModel.ConvDim[^1];
        Assert.Equal([12L, width], final["best_rq.codebook"].shape);
        Assert.True(final["best_rq.codebook"].norm(1).sub(1).abs().max().item<float>() < 1e-4, "fitted rows are unit vectors");
        Assert.True(final["best_rq.projection"].eq(TorchSharp.torch.eye(width)).all().item<bool>(), "a k-means codebook is matched without a projection");
        Directory.Delete(corpus, true);
    }

    /// <summary>
    /// A six-update run with <paramref name="objective"/> (checkpoints every 2; <paramref name="log"/> sees its log) and
    /// the same run killed before update 5 and resumed must report the same metrics; returns the state dicts of the
    /// uninterrupted run's first checkpoint and of the resumed run's final one, and the resumed description.
    /// </summary>
    static async Task<(Dictionary<string, TorchSharp.torch.Tensor> First, Dictionary<string, TorchSharp.torch.Tensor> Final, PretrainExperiment Crashed)>
        WholeAndResumedAgree(string corpus, PretrainObjectiveSpec objective, Action<string>? log = null)
    {
        var output = Path.Combine(corpus, "runs");
        var whole = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "whole") with
            { Objective = objective, Output = new OutputSpec { Folder = output, CheckpointEvery = 2, KeepLast = 3 } }, log: log)).ToList();
        var crashed = Micro(corpus, output, "crashed") with { Objective = objective };
        var (seen, resumed) = await CrashingSession.KillAndResume(crashed, crashBefore: 5);
        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        CrashingSession.AssertSameMetrics(whole, seen.Concat(resumed),
            MetricNames.Loss, MetricNames.Accuracy, MetricNames.CodePerplexity, MetricNames.ChanceAccuracy, MetricNames.GradNorm);
        return (StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(whole.First(r => r.Checkpoint is not null).Checkpoint!)),
            StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(Experiment.Folder(crashed).Final)), crashed);
    }

    [Fact]
    public async Task BestRqWithAKMeansCodebookOverLogMelLearnsWellAboveChanceOnAMemorisableCorpus()
    {
        var (accuracy, chance, perplexity) = await Memorise("kmeans", steps: 80, last: 10, e => e with
        {
            Objective = Objective with
            {
                Features = PretrainObjectiveSpec.LogMelFeatures, Codebook = PretrainObjectiveSpec.KMeansCodebook, CodebookSize = 32,
            },
        });
        Assert.True(accuracy > chance + 0.3 && accuracy > 3 * chance, $"masked-frame accuracy {accuracy:F3}, chance {chance:F3}");
        Assert.True(perplexity > 8, $"code perplexity {perplexity:F2}");
    }

    [Fact]
    public async Task TheDevProbeMeasuresBestRqAgainstItsChanceLevelAndBestFollowsTheDevLoss()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "probed") with
        {
            Objective = Objective with { Features = PretrainObjectiveSpec.LogMelFeatures },
            Corpus = new CorpusSpec { Folder = corpus, Dev = "dev", Test = null }, DevUtterances = 3, Steps = 4,
            Output = new OutputSpec { Folder = output, CheckpointEvery = 100, KeepLast = 4, EvaluateEvery = 2 },
        };
        Assert.Equal(DiagnosticNames.DevLoss, experiment.SelectionMetric);
        Assert.Equal(MetricNames.Loss, (experiment with { Corpus = experiment.Corpus with { Dev = null } }).SelectionMetric);
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();

        Assert.Equal([false, true, false, true], reports.Select(r => r.Metric(DiagnosticNames.DevAccuracy) is not null));
        var evaluated = reports.Where(r => r.Metric(DiagnosticNames.DevAccuracy) is not null).ToList();
        Assert.All(evaluated, r =>
        {
            Assert.InRange(r.Metric(DiagnosticNames.DevAccuracy)!.Value, 0, 1);
            Assert.InRange(r.Metric(DiagnosticNames.DevChanceAccuracy)!.Value, 1.0 / 64, 1);
            Assert.InRange(r.Metric(DiagnosticNames.DevCodePerplexity)!.Value, 1, 64);
            Assert.True(r.Metric(DiagnosticNames.DevLoss) > 0);
            Assert.Null(r.Metric(DiagnosticNames.DevContrastive));
        });
        // log-mel targets stand still, so the chance level and code usage of the fixed batch are the same at every probe.
        Assert.Equal(evaluated[0].Metric(DiagnosticNames.DevChanceAccuracy), evaluated[1].Metric(DiagnosticNames.DevChanceAccuracy));
        Assert.Equal(evaluated[0].Metric(DiagnosticNames.DevCodePerplexity), evaluated[1].Metric(DiagnosticNames.DevCodePerplexity));
        Assert.NotEqual(evaluated[0].Metric(DiagnosticNames.DevLoss), evaluated[1].Metric(DiagnosticNames.DevLoss));

        var lowest = evaluated.MinBy(r => r.Metric(DiagnosticNames.DevLoss))!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(lowest.Checkpoint!, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(Experiment.Folder(experiment).Best, "model.safetensors")));
        Directory.Delete(corpus, true);
    }

    /// <summary>
    /// The paper's targets on the memorisable corpus of <see cref="Memorise"/>, with the feature encoder training as usual
    /// (feature_grad_mult 0.1): log-mel codes do not drift, and 80 updates take masked-frame accuracy to ≈ 0.67
    /// against a chance level of ≈ 0.09.
    /// </summary>
    [Fact]
    public async Task BestRqWithLogMelTargetsLearnsWellAboveChanceOnAMemorisableCorpus()
    {
        var (accuracy, chance, perplexity) = await Memorise("logmel", steps: 80, last: 10,
            e => e with { Objective = Objective with { Features = PretrainObjectiveSpec.LogMelFeatures } });
        Assert.True(accuracy > chance + 0.3 && accuracy > 4 * chance, $"masked-frame accuracy {accuracy:F3}, chance {chance:F3}");
        Assert.True(perplexity > 4, $"code perplexity {perplexity:F2}");
    }

    /// <summary>
    /// The feature encoder held still (feature_grad_mult 0) so that the <c>cnn</c> targets stand still as log-mel targets
    /// would: the head must learn them far beyond always guessing the commonest code. With a training feature encoder
    /// the targets drift and the same 300 updates reach only about twice the chance level.
    /// </summary>
    [Fact]
    public async Task BestRqLearnsToPredictItsCodesWellAboveChanceOnAMemorisableCorpus()
    {
        var (accuracy, chance, perplexity) = await Memorise("memorise", steps: 300, last: 20,
            e => e with { Model = e.Model with { FeatureGradMult = 0 } });
        Assert.True(accuracy > chance + 0.4 && accuracy > 2.5 * chance, $"masked-frame accuracy {accuracy:F3}, chance {chance:F3}");
        Assert.True(perplexity > 4, $"code perplexity {perplexity:F2}");
    }

    /// <summary>
    /// Four one-second utterances cropped whole (the same input every step), light masking, a held learning rate:
    /// <paramref name="steps"/> updates of <see cref="Micro"/> changed by <paramref name="change"/>, then the means of
    /// masked-frame accuracy, its chance level and code perplexity over the <paramref name="last"/> updates.
    /// </summary>
    static async Task<(double Accuracy, double Chance, double CodePerplexity)> Memorise(string name, int steps, int last,
        Func<PretrainExperiment, PretrainExperiment> change)
    {
        var corpus = TinyCorpus.Create(count: 4, samples: 16000);
        var output = Path.Combine(corpus, "runs");
        var experiment = change(Micro(corpus, output, name) with
        {
            Steps = steps, BatchSamples = 16000 * 4, DiagnosticsEvery = 0, Masking = new MaskingOptions(0.3, 3, MinMasks: 1),
            Optimizer = new OptimizerSpec { LearningRate = 3e-3, WarmupRatio = 0.05, HoldRatio = 0.95, DecayRatio = 0 },
            Output = new OutputSpec { Folder = output, CheckpointEvery = 1000, KeepLast = 1 },
        });
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();
        Directory.Delete(corpus, true);
        var tail = reports.TakeLast(last).ToList();
        double Mean(string metric) => tail.Average(r => r.Metric(metric)!.Value);
        return (Mean(MetricNames.Accuracy), Mean(MetricNames.ChanceAccuracy), Mean(MetricNames.CodePerplexity));
    }

    [Fact]
    public async Task FineTuningStartsFromABestRqCheckpointsSharedNetwork()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var output = Path.Combine(corpus, "runs");
        var pretraining = Micro(corpus, output, "bestrq") with { Steps = 2 };
        await TrainingPipeline.Run(() => new Trainer(pretraining)).ToList();
        var final = Experiment.Folder(pretraining).Final;

        var ctc = Wav2Vec2Checkpoint.LoadCtc(final);
        Assert.Contains("best_rq.head.weight", ctc.Report.Unexpected);
        Assert.Contains("best_rq.codebook", ctc.Report.Unexpected);
        Assert.DoesNotContain(ctc.Report.Missing, k => k.StartsWith("wav2vec2.", StringComparison.Ordinal) && k != "wav2vec2.masked_spec_embed");
        ctc.Model.Dispose();
        Wav2Vec2Checkpoint.LoadPreTraining(final).Model.Dispose();

        var finetune = FinetuneExperimentRunTests.Micro(corpus, final, "ctc") with { Steps = 2 };
        var reports = await TrainingPipeline.Run(() => new Trainer(finetune)).ToList();
        Assert.True(double.IsFinite(reports[^1].Metric(MetricNames.Loss)!.Value));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void ABadObjectiveFieldIsOneLineNamingIt()
    {
        var experiment = PretrainingRunTests.Micro("corpus", "runs", "bad");
        var kind = Assert.Throws<ArgumentException>(() => (experiment with { Objective = Objective with { Kind = "bert" } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.kind' is 'bert'; use \"wav2vec2\" or \"best-rq\".", kind.Message);
        var size = Assert.Throws<ArgumentException>(() => (experiment with { Objective = Objective with { CodebookSize = 1 } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.codebookSize' must be at least 2, got 1.", size.Message);
        var features = Assert.Throws<ArgumentException>(() => (experiment with { Objective = Objective with { Features = "mfcc" } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.features' is 'mfcc'; use \"cnn\" (the training feature encoder's output), " +
                     "\"cnn-frozen\" (a frozen copy of it as the run starts) or \"logmel\" (80 log-mel bins).", features.Message);
        var codebook = Assert.Throws<ArgumentException>(() => (experiment with { Objective = Objective with { Codebook = "learned" } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.codebook' is 'learned'; use \"random\" (BEST-RQ's frozen random codebook) or " +
                     "\"kmeans\" (HuBERT-style centroids fitted to the training pool).", codebook.Message);
        var contrastive = Assert.Throws<ArgumentException>(() => (experiment with
            { Objective = new PretrainObjectiveSpec { Codebook = PretrainObjectiveSpec.KMeansCodebook } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.codebook' is 'kmeans', but it belongs to the best-rq objective (wav2vec2 learns its " +
                     "quantizer by gradient): remove it.", contrastive.Message);
        var utterances = Assert.Throws<ArgumentException>(() => (experiment with { Objective = Objective with { CodebookUtterances = 0 } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.codebookUtterances' must be at least 1, got 0.", utterances.Message);
        var logMel = experiment with { Objective = Objective with { Features = PretrainObjectiveSpec.LogMelFeatures } };
        Assert.Same(logMel, logMel.Validate("x.json"));
        var stride = Assert.Throws<ArgumentException>(() => (logMel with { Model = logMel.Model with { ConvStride = [5, 2, 2, 2, 2, 3, 3] } }).Validate("x.json"));
        Assert.Equal("x.json: field 'objective.features' is 'logmel', but the model's frames are 720 samples apart; " +
                     "log-mel targets stack 10 ms frames and need a multiple of 160.", stride.Message);
        Assert.All(new[] { features.Message, stride.Message }, m => Assert.DoesNotContain('\n', m));

        var parsed = (PretrainExperiment)ExperimentJson.Parse(ExperimentJson.Serialize(experiment with { Objective = Objective }), "x.json");
        Assert.Equal(Objective, parsed.Objective);
        var json = ExperimentJson.Serialize(experiment).Replace("\"objective\": {", "\"objective\": {\"typo\": 1,");
        Assert.Contains("typo", Assert.ThrowsAny<Exception>(() => ExperimentJson.Parse(json, "x.json")).Message);
    }
}
