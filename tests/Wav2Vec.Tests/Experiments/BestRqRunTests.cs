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
        foreach (var report in seen.Concat(resumed))
        {
            var reference = whole.Single(r => r.Step == report.Step);
            foreach (var name in new[] { MetricNames.Loss, MetricNames.Accuracy, MetricNames.CodePerplexity, MetricNames.ChanceAccuracy, MetricNames.GradNorm })
                Assert.Equal(reference.Metric(name), report.Metric(name));
        }
        Assert.Null(whole[0].Metric(MetricNames.Contrastive));

        var reseeded = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "reseeded") with
            { Steps = 1, Objective = Objective with { Seed = 3 } })).ToList();
        Assert.NotEqual(whole[0].Metric(MetricNames.CodePerplexity), reseeded[0].Metric(MetricNames.CodePerplexity));
        Directory.Delete(corpus, true);
    }

    /// <summary>
    /// Four one-second utterances cropped whole (the same input every step), the feature encoder held still
    /// (feature_grad_mult 0) so that the <c>cnn</c> targets stand still as log-mel targets would: the head must learn
    /// them far beyond always guessing the commonest code. With a training feature encoder the targets drift and the
    /// same 300 updates reach only about twice the chance level.
    /// </summary>
    [Fact]
    public async Task BestRqLearnsToPredictItsCodesWellAboveChanceOnAMemorisableCorpus()
    {
        var corpus = TinyCorpus.Create(count: 4, samples: 16000);
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "memorise") with
        {
            Model = PretrainingRunTests.Micro(corpus, output, "memorise").Model with { FeatureGradMult = 0 },
            Steps = 300, BatchSamples = 16000 * 4, DiagnosticsEvery = 0, Masking = new MaskingOptions(0.3, 3, MinMasks: 1),
            Optimizer = new OptimizerSpec { LearningRate = 3e-3, WarmupRatio = 0.05, HoldRatio = 0.95, DecayRatio = 0 },
            Output = new OutputSpec { Folder = output, CheckpointEvery = 1000, KeepLast = 1 },
        };
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();
        var last = reports.TakeLast(20).ToList();
        double Mean(string name) => last.Average(r => r.Metric(name)!.Value);
        var (accuracy, chance) = (Mean(MetricNames.Accuracy), Mean(MetricNames.ChanceAccuracy));
        Assert.True(accuracy > chance + 0.4 && accuracy > 2.5 * chance, $"masked-frame accuracy {accuracy:F3}, chance {chance:F3}");
        Assert.True(Mean(MetricNames.CodePerplexity) > 4, $"code perplexity {Mean(MetricNames.CodePerplexity):F2}");
        Directory.Delete(corpus, true);
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
        Assert.StartsWith("x.json: field 'objective.features' is 'mfcc'", features.Message);

        var parsed = (PretrainExperiment)ExperimentJson.Parse(ExperimentJson.Serialize(experiment with { Objective = Objective }), "x.json");
        Assert.Equal(Objective, parsed.Objective);
        var json = ExperimentJson.Serialize(experiment).Replace("\"objective\": {", "\"objective\": {\"typo\": 1,");
        Assert.Contains("typo", Assert.ThrowsAny<Exception>(() => ExperimentJson.Parse(json, "x.json")).Message);
    }
}
