using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class TsneTests
{
    /// <summary>Three Gaussian clusters of 30 points in 10 dimensions, centres 8 apart per axis, unit spread.</summary>
    static (Tensor Points, string[] Cluster) Clusters()
    {
        using var generator = new Generator(21);
        var centres = randn([3, 10], ScalarType.Float64, generator: generator) * 8;
        var cluster = Enumerable.Range(0, 90).Select(i => (long)(i % 3)).ToArray();
        var points = centres[tensor(cluster)] + randn([90, 10], ScalarType.Float64, generator: generator);
        return (points, [.. cluster.Select(c => $"cluster {c}")]);
    }

    [Fact]
    public void WellSeparatedClustersStaySeparated()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var (points, cluster) = Clusters();
        using var result = Tsne.Embed(points, new TsneOptions(Perplexity: 10, Iterations: 400, Seed: 1));
        Assert.Equal([90, 2], result.Embedding.shape);
        Assert.True(NeighbourPurity.Of(result.Embedding, cluster, k: 5) >= 0.9, "5-NN purity in the embedding");
        Assert.InRange(result.KlDivergence, 0, 1.5);
    }

    [Fact]
    public void EqualSeedsGiveEqualEmbeddingsAndOtherSeedsOthers()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var (points, _) = Clusters();
        var options = new TsneOptions(Perplexity: 10, Iterations: 150, Seed: 5);
        using var a = Tsne.Embed(points, options);
        using var b = Tsne.Embed(points, options);
        using var c = Tsne.Embed(points, options with { Seed = 6 });
        Assert.True(a.Embedding.allclose(b.Embedding, rtol: 0, atol: 0), "same seed, same embedding");
        Assert.False(a.Embedding.allclose(c.Embedding), "another seed, another layout");
    }

    [Fact]
    public void ConditionalRowsReachTheRequestedPerplexity()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var (points, _) = Clusters();
        var conditional = Tsne.ConditionalProbabilities(points, perplexity: 12);
        Assert.True(conditional.sum(1).allclose(ones(90, dtype: ScalarType.Float64)), "rows are distributions");
        Assert.Equal(0, conditional.diagonal().abs().max().item<double>());
        var entropy = -(conditional * conditional.clamp_min(1e-300).log()).sum(1);
        Assert.True(entropy.exp().allclose(full(90, 12.0, ScalarType.Float64), rtol: 1e-4, atol: 0), "perplexity 2^H = 12 per row");

        var joint = Tsne.JointProbabilities(points, perplexity: 12);
        Assert.True(joint.allclose(joint.t()), "joint affinities are symmetric");
        Assert.Equal(1, joint.sum().item<double>(), 6);
    }

    [Fact]
    public void PerplexityAtOrAboveThePointCountIsAnError()
    {
        TorchRuntime.Initialize();
        using var x = zeros(10, 3);
        var error = Assert.Throws<ArgumentException>(() => Tsne.Embed(x, new TsneOptions(Perplexity: 30)));
        Assert.Contains("got 10", error.Message);
    }
}
