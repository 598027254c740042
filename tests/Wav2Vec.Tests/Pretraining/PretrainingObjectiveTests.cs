using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class PretrainingObjectiveTests
{
    public PretrainingObjectiveTests() => TorchRuntime.Initialize();

    sealed record Batch(Tensor Context, Tensor Quantized, Tensor Mask, Tensor Negatives, Tensor Features, Tensor Codes, int MaskedFrames);

    static Batch RandomBatch(ScalarType dtype)
    {
        var generator = new Generator(7);
        var mask = SpanMasking.Compute([40, 31], 40, new MaskingOptions(0.65, 5, MinMasks: 2), seed: 3);
        var negatives = NegativeSampling.Sample(mask, 6, seed: 4);
        return new Batch(
            torch.randn(2, 40, 8, generator: generator).to_type(dtype), torch.randn(2, 40, 8, generator: generator).to_type(dtype),
            SpanMasking.ToTensor(mask), NegativeSampling.ToTensor(negatives),
            torch.randn(2, 40, 12, generator: generator).to_type(dtype), torch.randint(0, 5, [2, 40, 2], generator: generator),
            SpanMasking.MaskedCounts(mask).Sum());
    }

    static PretrainingLosses Losses(Batch b, Tensor perplexity) =>
        PretrainingObjective.Compute(b.Context, b.Quantized, b.Mask, b.Negatives, perplexity, groups: 2, entries: 5,
            b.Features, b.Codes, new ObjectiveOptions(NumNegatives: 6, Temperature: 0.1, DiversityWeight: 0.1, FeaturePenaltyWeight: 10));

    [Fact]
    public void TotalIsMeanContrastivePlusWeightedDiversityAndFeaturePenalty()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch(ScalarType.Float32);
        var values = Losses(batch, torch.tensor(6.5f)).ToValues();
        var logits = ContrastiveLogits.Compute(batch.Context, batch.Quantized, batch.Mask, batch.Negatives, 0.1);
        var rows = Enumerable.Range(0, (int)logits.shape[0]).Select(n => logits[n].data<float>().ToArray()).ToArray();
        var contrastive = rows.Sum(r => -(r[0] - Math.Log(r.Sum(x => Math.Exp(x)))));
        var penalty = batch.Features.data<float>().ToArray().Average(x => (double)x * x);
        Assert.Equal(batch.MaskedFrames, values.MaskedFrames);
        Assert.Equal(contrastive, values.Contrastive, contrastive * 1e-5);
        Assert.Equal(contrastive / batch.MaskedFrames, values.ContrastiveMean, 1e-4);
        Assert.Equal((10 - 6.5) / 10, values.Diversity, 1e-6);
        Assert.Equal(penalty, values.FeaturePenalty, 1e-5);
        Assert.Equal(contrastive / batch.MaskedFrames + 0.1 * 0.35 + 10 * penalty, values.Total, 1e-3);
        Assert.Equal(6.5, values.Perplexity, 1e-6);
        Assert.InRange(values.CodeUsage, 0.1, 1.0);
        Assert.InRange(values.Accuracy, 0.0, 1.0);
    }

    [Fact]
    public void LossesAreFloat32AndCloseToFloat32ForBFloat16Inputs()
    {
        using var scope = NewDisposeScope();
        var full = Losses(RandomBatch(ScalarType.Float32), torch.tensor(6.5f));
        var half = Losses(RandomBatch(ScalarType.BFloat16), torch.tensor(6.5f).to_type(ScalarType.BFloat16));
        foreach (var t in new[] { half.Total, half.Contrastive, half.Diversity, half.FeaturePenalty, half.Perplexity, half.Accuracy })
            Assert.Equal(ScalarType.Float32, t.dtype);
        var (a, b) = (full.ToValues(), half.ToValues());
        Assert.Equal(a.ContrastiveMean, b.ContrastiveMean, 0.05 * a.ContrastiveMean);
        Assert.Equal(a.FeaturePenalty, b.FeaturePenalty, 0.02 * a.FeaturePenalty);
    }

    [Fact]
    public void GradientFlowsToContextQuantizedAndFeatures()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch(ScalarType.Float32);
        var context = batch.Context.requires_grad_(true);
        var quantized = batch.Quantized.requires_grad_(true);
        var features = batch.Features.requires_grad_(true);
        var losses = Losses(batch with { Context = context, Quantized = quantized, Features = features }, torch.tensor(6.5f));
        losses.Total.backward();
        foreach (var leaf in new[] { context, quantized, features })
            Assert.True(leaf.grad is { } g && g.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void InvalidObjectiveOptionsNameTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => new ObjectiveOptions(Temperature: 0).Validate());
        Assert.Contains("ObjectiveOptions.Temperature", error.Message);
        Assert.Contains("ObjectiveOptions.NumNegatives",
            Assert.Throws<ArgumentException>(() => new ObjectiveOptions(NumNegatives: 0).Validate()).Message);
    }
}
