using System.Reactive.Linq;
using Wav2Vec.Checkpoints;
using Wav2Vec.Experiments;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Experiments;

/// <summary>The two ablation switches of the wav2vec 2.0 objective (paper Table 5) through descriptions, runs and resume.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class ObjectiveAblationRunTests
{
    static readonly PretrainObjectiveSpec Continuous = new() { Targets = PretrainObjectiveSpec.Continuous };
    static readonly PretrainObjectiveSpec NoGumbelNoise = new() { GumbelNoise = false };

    static PretrainExperiment Micro(string corpus, string output, string name, PretrainObjectiveSpec objective) =>
        PretrainingRunTests.Micro(corpus, output, name) with { Objective = objective };

    [Theory]
    [InlineData(PretrainObjectiveSpec.Continuous)]
    [InlineData("no-gumbel-noise")]
    public async Task ARunKilledMidwayResumesToTheSameMetrics(string ablation)
    {
        var objective = ablation == PretrainObjectiveSpec.Continuous ? Continuous : NoGumbelNoise;
        var corpus = TinyCorpus.Create(count: 6);
        var output = Path.Combine(corpus, "runs");
        var whole = await TrainingPipeline.Run(() => new Trainer(Micro(corpus, output, "whole", objective) with { Steps = 4 })).ToList();
        var (seen, resumed) = await CrashingSession.KillAndResume(Micro(corpus, output, "crashed", objective) with { Steps = 4 }, crashBefore: 3);
        Assert.Equal([3L, 4], resumed.Select(r => r.Step));
        CrashingSession.AssertSameMetrics(whole, seen.Concat(resumed),
            MetricNames.Loss, MetricNames.Contrastive, MetricNames.Accuracy, MetricNames.Perplexity, MetricNames.GradNorm);
        // The switch reaches the step: the same seed with the default objective trains otherwise.
        var noisy = await TrainingPipeline.Run(() => new Trainer(PretrainingRunTests.Micro(corpus, output, "default") with { Steps = 1 })).ToList();
        Assert.NotEqual(noisy[0].Metric(MetricNames.Loss), whole[0].Metric(MetricNames.Loss));
        if (objective.ContinuousTargets) Assert.All(whole, r => Assert.Null(r.Metric(MetricNames.Perplexity)));
        else Assert.All(whole, r => Assert.NotNull(r.Metric(MetricNames.Perplexity)));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AContinuousTargetsRunIsProbedOnDevSavesItsProjectionAndFineTunes()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var output = Path.Combine(corpus, "runs");
        var experiment = Micro(corpus, output, "continuous", Continuous) with
        {
            Corpus = new CorpusSpec { Folder = corpus, Dev = "dev", Test = null }, DevUtterances = 3, Steps = 2,
            Output = new OutputSpec { Folder = output, CheckpointEvery = 2, KeepLast = 1, EvaluateEvery = 2 },
        };
        var reports = await TrainingPipeline.Run(() => new Trainer(experiment)).ToList();
        var last = reports[^1];
        Assert.InRange(last.Metric(DiagnosticNames.DevAccuracy)!.Value, 0, 1);
        Assert.Equal(1.0 / 9, last.Metric(DiagnosticNames.DevChanceAccuracy)!.Value, 12);
        Assert.Null(last.Metric(DiagnosticNames.DevPerplexity));
        Assert.Null(last.Metric(DiagnosticNames.DevPrefix + DiagnosticNames.CodeAgreement));

        var folder = Experiment.Folder(experiment);
        Assert.Equal(Continuous, ExperimentJson.Load<PretrainExperiment>(folder.Description).Objective);
        var tensors = StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(folder.Final)).Keys.ToList();
        Assert.Contains("project_features.weight", tensors);
        Assert.DoesNotContain(tensors, k => k.StartsWith("quantizer.", StringComparison.Ordinal) || k.StartsWith("project_q.", StringComparison.Ordinal));

        var ctc = Wav2Vec2Checkpoint.LoadCtc(folder.Final);
        Assert.Contains("project_features.weight", ctc.Report.Unexpected);
        Assert.DoesNotContain(ctc.Report.Missing, k => k.StartsWith("wav2vec2.", StringComparison.Ordinal) && k != "wav2vec2.masked_spec_embed");
        ctc.Model.Dispose();
        var finetune = FinetuneExperimentRunTests.Micro(corpus, folder.Final, "ctc") with { Steps = 2 };
        var tuned = await TrainingPipeline.Run(() => new Trainer(finetune)).ToList();
        Assert.True(double.IsFinite(tuned[^1].Metric(MetricNames.Loss)!.Value));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public void TheSwitchesRoundTripThroughJsonAndDefaultToThePapersObjective()
    {
        var experiment = PretrainingRunTests.Micro("corpus", "runs", "json");
        Assert.Equal(PretrainObjectiveSpec.Quantized, experiment.Objective.Targets);
        Assert.True(experiment.Objective.GumbelNoise);
        foreach (var objective in new[] { Continuous, NoGumbelNoise })
        {
            var parsed = (PretrainExperiment)ExperimentJson.Parse(ExperimentJson.Serialize(experiment with { Objective = objective }), "x.json");
            Assert.Equal(objective, parsed.Objective);
        }
        var json = ExperimentJson.Serialize(experiment with { Objective = NoGumbelNoise });
        Assert.Contains("\"gumbelNoise\": false", json);
        Assert.DoesNotContain("continuousTargets", json);
    }

    [Theory]
    [InlineData("wav2vec2", "discrete", true, "x.json: field 'objective.targets' is 'discrete'; use \"quantized\" or \"continuous\".")]
    [InlineData("wav2vec2", "continuous", false,
        "x.json: field 'objective.gumbelNoise' is false, but continuous targets have no quantizer to draw Gumbel noise for: remove it or use \"targets\": \"quantized\".")]
    [InlineData("best-rq", "continuous", true,
        "x.json: field 'objective.targets' is 'continuous', but it belongs to the wav2vec2 objective (best-rq predicts its own codes): remove it.")]
    [InlineData("best-rq", "quantized", false,
        "x.json: field 'objective.gumbelNoise' is false, but it belongs to the wav2vec2 objective (best-rq has no Gumbel quantizer): remove it.")]
    public void ABadSwitchIsOneLineNamingItsField(string kind, string targets, bool gumbelNoise, string message)
    {
        var experiment = PretrainingRunTests.Micro("corpus", "runs", "bad") with
        {
            Objective = new PretrainObjectiveSpec(kind) { Targets = targets, GumbelNoise = gumbelNoise },
        };
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => experiment.Validate("x.json")).Message);
    }
}
