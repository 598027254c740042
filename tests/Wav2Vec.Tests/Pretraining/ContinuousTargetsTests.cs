using TorchSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Tests.Training;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// Continuous targets (fairseq's <c>quantize_targets=False</c>, paper Table 5): the targets are project_features of the
/// unmasked LayerNorm'd feature-encoder output, there is no quantizer and no diversity term.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class ContinuousTargetsTests
{
    static readonly Wav2Vec2Config Config = MicroPretraining.Config;

    static readonly PretrainingStepOptions Options = PretrainingStepOptions.From(Config) with
    {
        Masking = MicroPretraining.Masking, Objective = MicroPretraining.Objective with { FeaturePenaltyWeight = 10 }, Seed = 4,
    };

    static Wav2Vec2ForPreTraining Model(int seed = 11)
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(seed);
        return new Wav2Vec2ForPreTraining(Config, continuousTargets: true);
    }

    /// <summary>Rows of voiced harmonic chirps, each with its own pitch and syllable rate: structure a context network can predict.</summary>
    static Tensor Chirps(int rows, int samples)
    {
        var audio = new float[rows * samples];
        for (var r = 0; r < rows; r++)
        {
            double f0 = 120 + 40 * r, phase = 0;
            for (var t = 0; t < samples; t++)
            {
                phase += 2 * Math.PI * f0 * (1 + 0.3 * Math.Sin(2 * Math.PI * t / (1600.0 + 400 * r))) / 16000;
                var voiced = Math.Sin(2 * Math.PI * t / (800.0 + 200 * r)) > -0.2 ? 1.0 : 0.05;
                audio[r * samples + t] = (float)(voiced * 0.3 * (Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.25 * Math.Sin(3 * phase)));
            }
        }
        return torch.tensor(audio, [rows, samples]);
    }

    [Fact]
    public void TheTargetsAreTheProjectedLayerNormOfTheUnmaskedFeatureEncoderOutput()
    {
        using var model = Model();
        using var scope = NewDisposeScope();
        model.train();
        var audio = torch.randn(2, 1600, generator: new Generator(3));
        var frames = (int)FrameLengths.Compute(1600, Config);
        var mask = SpanMasking.ToTensor(SpanMasking.Compute([frames, frames], frames, MicroPretraining.Masking, seed: 5));
        var masked = model.Forward(audio, timeMask: mask);
        var unmasked = model.Forward(audio);

        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using var _ = no_grad();
        var z = model.Wav2Vec2.FeatureEncoder.Forward(audio);
        var normed = nn.functional.layer_norm(z, [z.shape[^1]], p["wav2vec2.feature_projection.layer_norm.weight"],
            p["wav2vec2.feature_projection.layer_norm.bias"], Config.LayerNormEps);
        var expected = nn.functional.linear(normed, p["project_features.weight"], p["project_features.bias"]);
        var rows = mask.reshape(-1).nonzero().squeeze(1);
        Tensor AtMasked(Tensor t) => t.reshape(-1, Config.ProjCodevectorDim).index_select(0, rows);
        Assert.True(rows.shape[0] > 0);
        Assert.True(AtMasked(masked.ProjectedTargets).allclose(AtMasked(expected), rtol: 1e-5, atol: 1e-6),
            "the targets at masked frames are not project_features(LayerNorm(z)) of the unmasked audio");
        // The mask replaces the context network's input, never the targets.
        Assert.True(masked.ProjectedTargets.allclose(unmasked.ProjectedTargets, rtol: 0, atol: 0));
        Assert.False(masked.ProjectedStates.allclose(unmasked.ProjectedStates, rtol: 1e-3, atol: 1e-4));
        Assert.Null(masked.Quantizer);
    }

    [Fact]
    public void TheModelHasNoQuantizerAndTheTargetsGradientReachesTheFeatureEncoder()
    {
        using var model = Model();
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("quantizer.", StringComparison.Ordinal) || n.StartsWith("project_q.", StringComparison.Ordinal));
        Assert.Equal(["project_features.bias", "project_features.weight"], names.Where(n => n.StartsWith("project_features.", StringComparison.Ordinal)).Order());
        Assert.Null(model.Quantizer);
        Assert.True(model.ContinuousTargets);

        // Back-propagating from the targets alone: as in fairseq they are not detached, so the feature encoder learns
        // through them, while the context network and project_hid are not on their path.
        using var scope = NewDisposeScope();
        model.train();
        model.Forward(torch.randn(2, 1600, generator: new Generator(4))).ProjectedTargets.square().sum().backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["wav2vec2.feature_extractor.conv_layers.0.conv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["project_features.weight"]!.abs().sum().item<float>() > 0);
        Assert.Null(grads["project_hid.weight"]);
        Assert.Null(grads["wav2vec2.encoder.layers.0.attention.q_proj.weight"]);
    }

    [Fact]
    public void AStepHasNoDiversityTermAndReportsNoQuantizerMetrics()
    {
        using var model = Model();
        using var audio = torch.randn(3, 1600, generator: new Generator(3));
        using (var scope = NewDisposeScope())
        {
            model.train();
            var losses = PretrainingStep.Losses(model, audio, null, Options, step: 0, out _);
            var v = losses.ToValues();
            Assert.True(double.IsNaN(v.Diversity) && double.IsNaN(v.Perplexity) && double.IsNaN(v.CodeUsage));
            Assert.Equal(v.ContrastiveMean + 10 * v.FeaturePenalty, v.Total, 1e-5 * v.Total);
        }

        var report = PretrainingStep.Run(model, optim.AdamW(model.parameters()), [TestBatches.Of(audio)], step: 0, Options with { DiagnosticsEvery = 1 });
        var names = report.Metrics.Select(m => m.Key).ToHashSet();
        Assert.True(double.IsFinite(report.Loss) && !report.Skipped);
        foreach (var absent in new[]
                 {
                     MetricNames.Diversity, MetricNames.Perplexity, "code_usage", MetricNames.Temperature, DiagnosticNames.CodeAgreement,
                     DiagnosticNames.CodeAgreementExpected, DiagnosticNames.QuantizerLogitsStd, DiagnosticNames.CodePerplexity,
                     DiagnosticNames.GradNorm(GradientNorms.Quantizer), DiagnosticNames.GradNorm(GradientNorms.ProjectQ),
                 })
            Assert.DoesNotContain(absent, names);
        Assert.InRange(report.Metric(MetricNames.Accuracy), 0, 1);
        Assert.True(report.Metric(DiagnosticNames.GradNorm(GradientNorms.ProjectFeatures)) > 0);
        Assert.True(report.Metric(DiagnosticNames.GradNorm(GradientNorms.FeatureEncoder)) > 0);
    }

    /// <summary>
    /// Two fixed rows of 0.2 s (160 frames each), fresh masks and distractors every update: within 30 updates the
    /// masked-frame accuracy leaves the chance level 1/(K + 1) of the contrastive task with continuous targets
    /// (≈ 0.11 over the first five updates, ≈ 0.35 over the last five; 0.6 after 80).
    /// </summary>
    [Fact]
    public void MaskedAccuracyRisesWellAboveChanceOnAMicroCorpus()
    {
        using var model = Model(seed: 5);
        using var audio = Chirps(rows: 2, samples: 3200);
        var optimizer = optim.AdamW(model.parameters(), lr: 2e-3);
        var options = Options with { Objective = MicroPretraining.Objective };
        var accuracy = Enumerable.Range(0, 30)
            .Select(step => PretrainingStep.Run(model, optimizer, [TestBatches.Of(audio)], step, options).Metric(MetricNames.Accuracy))
            .ToList();
        var chance = 1.0 / (Config.NumNegatives + 1);
        var (first, last) = (accuracy.Take(5).Average(), accuracy.TakeLast(5).Average());
        Assert.True(last > 2.5 * chance && last > first + 0.1, $"masked accuracy {first:F3} → {last:F3}, chance {chance:F3}");
    }
}
