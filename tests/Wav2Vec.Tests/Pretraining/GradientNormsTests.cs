using TorchSharp;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class GradientNormsTests
{
    static Tensor Audio() => torch.randn(2, 1600, generator: new Generator(3));

    /// <summary>The parts of a model with quantized targets: project_features belongs to continuous targets only.</summary>
    static IEnumerable<string> QuantizedParts() =>
        GradientNorms.PretrainingParts.Select(p => p.Name).Where(n => n != GradientNorms.ProjectFeatures).Order();

    [Fact]
    public void EveryPretrainingParameterBelongsToANamedPart()
    {
        using var model = MicroPretraining.Model();
        var names = model.named_parameters().Select(p => p.name).ToList();
        var parts = names.Select(n => GradientNorms.PretrainingParts.FirstOrDefault(p => n.StartsWith(p.Prefix, StringComparison.Ordinal))?.Name).ToList();
        Assert.DoesNotContain(null, parts);
        Assert.Equal(QuantizedParts(), parts.Distinct().Order());
        Assert.Contains("wav2vec2.encoder.pos_conv_embed.conv.weight_g", names);
    }

    [Fact]
    public void PartNormsCombineToTheGlobalNormBeforeClipping()
    {
        using var model = MicroPretraining.Model();
        using var audio = Audio();
        // Learning rate 0: the update leaves the gradients of the step in place.
        var (_, diagnostics) = MicroPretraining.Step(model, optim.SGD(model.parameters(), 0.0), audio, step: 0);
        Assert.Equal(QuantizedParts(), diagnostics.Gradients.Keys);
        Assert.All(diagnostics.Gradients.Values, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.Equal(diagnostics.Gradients, GradientNorms.ByPart(model));
        var global = nn.utils.clip_grad_norm_(model.parameters(), double.PositiveInfinity);
        Assert.Equal(global, Math.Sqrt(diagnostics.Gradients.Values.Sum(v => v * v)), 1e-4 * global);
    }

    [Fact]
    public void PartsWithoutGradientsAreLeftOut()
    {
        using var model = MicroPretraining.Model();
        Assert.Empty(GradientNorms.ByPart(model));
        model.Wav2Vec2.FreezeFeatureEncoder();
        using var audio = Audio();
        var (_, diagnostics) = MicroPretraining.Step(model, optim.SGD(model.parameters(), 0.0), audio, step: 0);
        Assert.DoesNotContain(GradientNorms.FeatureEncoder, diagnostics.Gradients.Keys);
        Assert.Contains(GradientNorms.Quantizer, diagnostics.Gradients.Keys);
    }

    [Fact]
    public void ParametersOutsideTheGivenPartsFormOther()
    {
        using var model = MicroPretraining.Model();
        using var audio = Audio();
        MicroPretraining.Step(model, optim.SGD(model.parameters(), 0.0), audio, step: 0);
        var norms = GradientNorms.ByPart(model, [new GradientNorms.Part("q", "quantizer.")]);
        Assert.Equal(["other", "q"], norms.Keys);
        Assert.Equal(GradientNorms.ByPart(model)[GradientNorms.Quantizer], norms["q"], 1e-12);
    }
}
