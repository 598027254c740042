using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class PcaTests
{
    [Fact]
    public void FirstComponentRecoversAPlantedDirectionAndItsVariance()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        const int n = 2000, d = 12;
        var direction = randn([d], ScalarType.Float64, generator: generator);
        direction /= direction.norm();
        // Variance 25 along the planted direction, 0.01 per coordinate of isotropic noise, offset by a mean of 3.
        var along = randn([n, 1], ScalarType.Float64, generator: generator) * 5;
        var x = along * direction + randn([n, d], ScalarType.Float64, generator: generator) * 0.1 + 3;

        using var fit = Pca.Fit(x, components: 2);
        Assert.Equal([2, d], fit.Components.shape);
        Assert.True(Math.Abs(fit.Components[0].dot(direction).item<double>()) > 0.999, "component 0 is the planted direction");
        Assert.InRange(fit.Components[0].dot(fit.Components[1]).item<double>(), -1e-9, 1e-9);
        Assert.InRange(fit.ExplainedVariance[0], 25 * 0.9, 25 * 1.1);
        Assert.InRange(fit.ExplainedVariance[1], 0.005, 0.02);
        Assert.InRange(fit.ExplainedVarianceRatio[0], 0.99, 1.0);

        var projected = fit.Transform(x);
        Assert.Equal([n, 2], projected.shape);
        Assert.Equal(fit.ExplainedVariance[0], projected[TensorIndex.Colon, 0].var().item<double>(), 9);
        Assert.Equal(0, projected.mean([0]).abs().max().item<double>(), 9);
    }

    [Fact]
    public void NegatedDataGivesTheSameSignNormalisedComponents()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var generator = new Generator(12);
        var x = randn([50, 6], generator: generator);
        using var a = Pca.Fit(x, 3);
        using var b = Pca.Fit(-x, 3);
        Assert.True(a.Components.allclose(b.Components, rtol: 0, atol: 1e-9), "negated data gives the same sign-normalised directions");
    }

    [Fact]
    public void TooManyComponentsIsAnErrorNamingTheShape()
    {
        TorchRuntime.Initialize();
        using var x = zeros(5, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(x, 4));
        Assert.Contains("5 × 3", error.Message);
    }
}
