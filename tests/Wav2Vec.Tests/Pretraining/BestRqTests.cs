using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class BestRqTests
{
    static Tensor Features(int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randn([2, 40, 12], generator: generator);
    }

    static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    [Fact]
    public void TargetsAreAFunctionOfTheFeaturesAndTheSeedAlone()
    {
        using var features = Features(1);
        var (p0, c0) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        var (p0Again, c0Again) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        var (p1, c1) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 1);
        using var first = RandomProjectionQuantizer.Targets(features, null, p0, c0);
        using var again = RandomProjectionQuantizer.Targets(features, null, p0Again, c0Again);
        using var reseeded = RandomProjectionQuantizer.Targets(features, null, p1, c1);
        Assert.True(Same(first, again));
        Assert.False(Same(first, reseeded));
        Assert.Equal(ScalarType.Int64, first.dtype);
        Assert.Equal([2L, 40], first.shape);
        Assert.True(c0.square().sum(1).sub(1).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void TargetsIgnoreAnUtterancesGainAndOffsetButNotItsContent()
    {
        using var features = Features(2);
        var (projection, codebook) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        using var targets = RandomProjectionQuantizer.Targets(features, null, projection, codebook);
        using var louder = features.clone();
        louder[0].mul_(7).add_(3);
        using var sameTargets = RandomProjectionQuantizer.Targets(louder, null, projection, codebook);
        Assert.True(Same(targets, sameTargets));
        using var other = Features(3);
        using var otherTargets = RandomProjectionQuantizer.Targets(other, null, projection, codebook);
        Assert.False(Same(targets, otherTargets));
    }

    [Fact]
    public void OnlyMaskedFramesContributeToTheLoss()
    {
        using var generator = new Generator(5, CPU);
        using var logits = randn([2, 10, 8], generator: generator);
        using var targets = randint(0, 8, [2, 10], generator: generator);
        using var mask = zeros([2, 10], dtype: ScalarType.Bool);
        mask[0, TensorIndex.Slice(2, 6)] = tensor(true);
        mask[1, TensorIndex.Slice(5, 9)] = tensor(true);
        var loss = BestRqLoss.Compute(logits, targets, mask, 8).Loss.item<float>();

        using var unmaskedChanged = logits.clone();
        unmaskedChanged[0, 0] = tensor(new float[] { 9, -9, 9, -9, 9, -9, 9, -9 });
        unmaskedChanged[1, 9].mul_(100);
        Assert.Equal(loss, BestRqLoss.Compute(unmaskedChanged, targets, mask, 8).Loss.item<float>());

        using var maskedChanged = logits.clone();
        maskedChanged[0, 3].mul_(100);
        Assert.NotEqual(loss, BestRqLoss.Compute(maskedChanged, targets, mask, 8).Loss.item<float>());
    }

    [Fact]
    public void ChanceIsTheMostCommonMaskedCodeAndPerplexityCountsTheCodesInUse()
    {
        using var logits = zeros([1, 4, 8]);
        logits[0, TensorIndex.Colon, 3] = tensor(1f);
        using var targets = tensor(new long[] { 3, 3, 5, 0 }).reshape(1, 4);
        using var mask = tensor(new[] { true, true, true, false }).reshape(1, 4);
        var losses = BestRqLoss.Compute(logits, targets, mask, 8);
        Assert.Equal(2.0 / 3, losses.Accuracy, 6);
        Assert.Equal(2.0 / 3, losses.MajorityCode, 6);
        Assert.Equal(Math.Exp(-(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3))), losses.CodePerplexity, 6);
    }
}
