using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>Seeds libtorch's process-wide generator and expects the same masks back, so it runs with the other such tests.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class DropoutsTests
{
    const double P = 0.1;
    static readonly double Scale = 65536.0 / (65536 - 6554);

    [Fact]
    public void InTrainingEachElementIsZeroedWithProbabilityPAndTheRestScaledSoTheMeanIsKept()
    {
        TorchRuntime.Seed(3);
        using var scope = NewDisposeScope();
        const int n = 1_000_000;
        var x = ones(1000, 1000);
        var y = Dropouts.Apply(x, P, training: true);
        Assert.Equal(x.shape, y.shape);
        var dropped = y.eq(0).sum().item<long>();
        var kept = y.eq((float)Scale).sum().item<long>();
        Assert.Equal(n, dropped + kept);
        // Binomial(1e6, 0.1): σ = 300; five σ either way.
        Assert.InRange(dropped, n * P - 1500, n * P + 1500);
        Assert.Equal(1.0, y.mean().item<float>(), 0.005);
        // Each of the four 16-bit draws taken from one 64-bit number drops at the same rate.
        var byLane = y.reshape(-1, 4).eq(0).to(ScalarType.Float32).mean([0]);
        Assert.All(byLane.data<float>().ToArray(), rate => Assert.InRange(rate, 0.097, 0.103));
    }

    [Fact]
    public void TheMaskFollowsLibtorchsSeedAndDiffersFromCallToCall()
    {
        using var scope = NewDisposeScope();
        var x = randn(300, 70);
        TorchRuntime.Seed(11);
        var first = Dropouts.Apply(x, P, true);
        var second = Dropouts.Apply(x, P, true);
        TorchRuntime.Seed(11);
        var again = Dropouts.Apply(x, P, true);
        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(second).all().item<bool>());
        // Different seeds also give different masks of the same pure function.
        Assert.NotEqual(Dropouts.Mask(5000, 6554, 1), Dropouts.Mask(5000, 6554, 2));
        Assert.Equal(Dropouts.Mask(5000, 6554, 1), Dropouts.Mask(5000, 6554, 1));
    }

    [Fact]
    public void OutOfTrainingOrWithPZeroTheInputPassesUnchanged()
    {
        using var scope = NewDisposeScope();
        var x = randn(17, 9);
        Assert.True(Dropouts.Apply(x, P, training: false).eq(x).all().item<bool>());
        Assert.True(Dropouts.Apply(x, 0, training: true).eq(x).all().item<bool>());
    }

    [Fact]
    public void TheGradientIsTheMaskTimesTheScale()
    {
        TorchRuntime.Seed(5);
        using var scope = NewDisposeScope();
        var x = randn(64, 33).requires_grad_(true);
        var y = Dropouts.Apply(x, P, true);
        y.sum().backward();
        var expected = y.detach().ne(0).to(ScalarType.Float32) * Scale;
        Assert.True(x.grad!.allclose(expected, rtol: 1e-6, atol: 1e-6));
        // Kept elements are the input times the scale, in bf16 too.
        var b = Dropouts.Apply(x.detach().to(ScalarType.BFloat16), P, true);
        Assert.Equal(ScalarType.BFloat16, b.dtype);
        var keptB = b.ne(0);
        Assert.True(b.masked_select(keptB).to(ScalarType.Float32)
            .allclose((x.detach().to(ScalarType.BFloat16).to(ScalarType.Float32) * Scale).masked_select(keptB), rtol: 1e-2, atol: 1e-2));
    }
}
