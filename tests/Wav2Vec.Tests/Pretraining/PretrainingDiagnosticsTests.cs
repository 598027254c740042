using System.Collections.Immutable;
using TorchSharp;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class PretrainingDiagnosticsTests
{
    public PretrainingDiagnosticsTests() => TorchRuntime.Initialize();

    [Fact]
    public void MetricNamesAreStableAndPrefixed()
    {
        var d = new PretrainingDiagnostics(0.5, 0.4, 3, 12, new ContrastiveDiagnostics(0.1, 0.3, 0.2, 1.5), 0.7, 1.0)
        {
            Gradients = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("quantizer", 0.25)]),
        };
        Assert.Equal(
        [
            ("code_agreement", 0.5), ("code_agreement_expected", 0.4), ("quantizer_logits_std", 3), ("code_perplexity", 12),
            ("distractors_equal", 0.1), ("cosine_positive", 0.3), ("cosine_distractors", 0.2), ("contrastive_logits_std", 1.5),
            ("conv_features_rms", 0.7), ("extract_features_rms", 1.0), ("grad_norm_quantizer", 0.25),
        ], d.ToMetrics().Select(m => (m.Key, m.Value)));
        Assert.All(d.ToMetrics("dev_"), m => Assert.StartsWith("dev_", m.Key));
    }

    [Fact]
    public void TrainingStepDiagnosticsAgreeWithTheLossesAndTheLayerNorm()
    {
        using var model = MicroPretraining.Model();
        using var audio = torch.randn(2, 1600, generator: new Generator(4));
        var (losses, d) = MicroPretraining.Step(model, optim.SGD(model.parameters(), 0.0), audio, step: 0);
        // No padding: the feature penalty is the mean square of the same conv features.
        Assert.Equal(losses.FeaturePenalty, d.ConvFeaturesRms * d.ConvFeaturesRms, 1e-4 * losses.FeaturePenalty);
        // The extract features are a LayerNorm with unit weight and zero bias at initialisation.
        Assert.Equal(1.0, d.ExtractFeaturesRms, 0.01);
        Assert.InRange(d.CodeAgreement, 1.0 / 8, 1.0);
        Assert.InRange(d.CodePerplexity, 2.0, 16.0);
        Assert.InRange(d.Contrastive.DistractorsEqual, 0.0, 0.5);
        Assert.True(d.Contrastive.LogitsStd > 0);
    }

    [Fact]
    public void MeasuringNeedsTheContrastiveLogits()
    {
        using var scope = NewDisposeScope();
        using var model = MicroPretraining.Model();
        model.eval();
        var output = model.Forward(torch.randn(1, 1600));
        var scalar = torch.zeros([]);
        var bare = new PretrainingLosses(scalar, scalar, scalar, scalar, scalar, scalar, double.NaN, 0);
        var error = Assert.Throws<ArgumentException>(() => PretrainingDiagnostics.Measure(output, bare, null, seed: 0));
        Assert.Contains("no contrastive logits", error.Message);
    }

    [Fact]
    public void FeatureScaleCountsOnlyRealFrames()
    {
        using var scope = NewDisposeScope();
        var features = torch.cat([torch.full(1, 3, 4, 2.0f), torch.full(1, 2, 4, 1000.0f)], 1);
        var real = torch.tensor(new[] { true, true, true, false, false }).unsqueeze(0);
        Assert.Equal(2.0, FeatureScale.Rms(features, real), 1e-9);
        Assert.Equal(Math.Sqrt((3 * 4 + 2 * 1e6) / 5), FeatureScale.Rms(features, null), 1e-6);
        Assert.True(double.IsNaN(FeatureScale.Rms(features, torch.zeros(1, 5, ScalarType.Bool))));
    }
}
