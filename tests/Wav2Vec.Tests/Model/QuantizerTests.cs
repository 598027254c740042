using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class QuantizerTests
{
    [Property(MaxTest = 30)]
    public Property StraightThroughSampleIsOneHotWithSoftmaxGradient()
    {
        TorchRuntime.Initialize();
        return Prop.ForAll(Gen.Choose(1, 1000).ToArbitrary(), seed =>
        {
            using var scope = NewDisposeScope();
            TorchRuntime.Seed(seed);
            var logits = randn(6, 5, requires_grad: true);
            var sample = GumbelSoftmax.StraightThrough(logits, 0.7);
            var oneHot = sample.detach().eq(0).logical_or(sample.detach().eq(1)).all().item<bool>()
                         && sample.detach().sum(-1).eq(1).all().item<bool>();
            // Σ_v y_v is constant (1) for the soft sample too, so its gradient w.r.t. the logits vanishes, while a
            // single entry's gradient does not: the backward pass is the soft sample's, not the argmax's (which is 0).
            sample.select(-1, 0).sum().backward();
            var flows = logits.grad!.abs().sum().item<float>() > 0;
            return oneHot && flows;
        });
    }

    [Fact]
    public void LowTemperatureSamplesFollowTheLogitsAndHighTemperatureSpreads()
    {
        TorchRuntime.Seed(11);
        var logits = tensor(new float[] { 4, 0, 0, 0 }).expand(4000, 4);
        var cold = GumbelSoftmax.StraightThrough(logits, 0.1).mean([0]);
        // Gumbel-max is exact sampling of softmax(logits) whatever τ: P(0) = e⁴/(e⁴+3) ≈ 0.948.
        Assert.InRange(cold[0].item<float>(), 0.93f, 0.965f);
        var uniform = GumbelSoftmax.StraightThrough(zeros(4000, 4), 2.0).mean([0]);
        Assert.True((uniform - 0.25).abs().max().item<float>() < 0.03);
    }

    [Fact]
    public void PerplexityRangesFromGroupsToGroupsTimesEntries()
    {
        TorchRuntime.Initialize();
        var collapsed = nn.functional.one_hot(zeros(10, 2, dtype: ScalarType.Int64), 8).to(ScalarType.Float32);
        Assert.Equal(2.0, GumbelSoftmax.Perplexity(collapsed, null).item<float>(), 3);
        var uniform = full(10, 2, 8, 1.0f / 8);
        Assert.Equal(16.0, GumbelSoftmax.Perplexity(uniform, null).item<float>(), 3);
        var mask = tensor(new[] { true, false, false, false, false, false, false, false, false, false });
        var rows = cat([collapsed.narrow(0, 0, 1), uniform.narrow(0, 1, 9)], 0);
        Assert.Equal(2.0, GumbelSoftmax.Perplexity(rows, mask).item<float>(), 3);
    }

    [Fact]
    public void TrainingQuantizerPicksOneCodePerGroupAndPassesGradientToWeightProj()
    {
        TorchRuntime.Seed(12);
        var config = Wav2Vec2Presets.Tiny();
        using var quantizer = new GumbelVectorQuantizer(config);
        quantizer.Initialize();
        quantizer.train();
        var features = randn(2, 7, config.ConvOutputDim);
        var output = quantizer.Forward(features, temperature: 2.0);
        Assert.Equal([2L, 7L, (long)config.CodevectorDim], output.Quantized.shape);
        Assert.Equal([2L, 7L, (long)config.NumCodevectorGroups], output.CodevectorIndices.shape);
        var book = quantizer.parameters().First(p => p.shape.Length == 3)[0].view(config.NumCodevectorGroups, config.NumCodevectorsPerGroup, -1);
        var index = output.CodevectorIndices[1, 3];
        var expected = cat([book[0][index[0]], book[1][index[1]]], 0);
        Assert.True((output.Quantized[1, 3] - expected).abs().max().item<float>() < 1e-6);
        output.Quantized.sum().backward();
        Assert.True(quantizer.parameters().All(p => p.grad is not null && p.grad.abs().sum().item<float>() > 0));
        Assert.InRange(output.CodePerplexity.item<float>(), 1, config.NumCodevectorGroups * config.NumCodevectorsPerGroup);
    }
}
