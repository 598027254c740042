using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class KMeansCodebookTests
{
    /// <summary>
    /// <paramref name="clusters"/> random unit directions in <paramref name="dim"/> dimensions, <paramref name="perCluster"/>
    /// frames around each (noise of std <paramref name="noise"/>, then random positive scales, which spherical k-means must
    /// ignore), the clusters interleaved row by row; with the planted direction index of every frame.
    /// </summary>
    static (Tensor Frames, Tensor Directions, long[] Membership) Planted(int clusters, int dim, int perCluster, double noise, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var directions = nn.functional.normalize(randn([clusters, dim], generator: generator), p: 2, dim: -1);
        var membership = Enumerable.Range(0, clusters * perCluster).Select(i => (long)(i % clusters)).ToArray();
        var frames = directions.index_select(0, tensor(membership))
            .add(randn([clusters * perCluster, dim], generator: generator).mul(noise))
            .mul(rand([clusters * perCluster, 1], generator: generator).mul(5).add(0.1));
        return (frames, directions, membership);
    }

    [Fact]
    public void RecoversPlantedDirectionsAndAssignsFramesAsTheNearestCodeRuleDoes()
    {
        var (frames, directions, membership) = Planted(clusters: 6, dim: 12, perCluster: 80, noise: 0.08, seed: 4);
        var fit = KMeansCodebook.Learn(frames, clusters: 6, seed: 1);

        Assert.Equal([6L, 12], fit.Codebook.shape);
        Assert.True(fit.Codebook.norm(1).sub(1).abs().max().item<float>() < 1e-5, "codebook rows are unit vectors");
        // Every planted direction has its own centroid within a few degrees.
        var match = directions.matmul(fit.Codebook.t());
        var best = match.argmax(1).data<long>().ToArray();
        Assert.Equal(6, best.Distinct().Count());
        Assert.True(match.max(1).values.min().item<float>() > 0.98, $"worst direction-centroid cosine {match.max(1).values.min().item<float>():F3}");
        Assert.Equal(6, fit.UsedCodes);
        Assert.InRange(fit.Perplexity, 5.9, 6.0);
        Assert.True(fit.MeanCosine > 0.95, $"mean cosine {fit.MeanCosine:F3}");

        // The codes BEST-RQ's lookup gives with the identity projection are the planted clusters (up to renaming).
        var codes = RandomProjectionQuantizer.Codes(frames.unsqueeze(0), eye(12), fit.Codebook).squeeze(0).data<long>().ToArray();
        Assert.Equal(membership.Select(m => best[m]), codes);
    }

    [Fact]
    public void IsAFunctionOfTheFramesAndTheSeed()
    {
        var (frames, _, _) = Planted(clusters: 16, dim: 8, perCluster: 20, noise: 0.5, seed: 7);
        var a = KMeansCodebook.Learn(frames, clusters: 10, seed: 3);
        var b = KMeansCodebook.Learn(frames.clone(), clusters: 10, seed: 3);
        var c = KMeansCodebook.Learn(frames, clusters: 10, seed: 4);
        Assert.True(a.Codebook.eq(b.Codebook).all().item<bool>());
        Assert.False(a.Codebook.eq(c.Codebook).all().item<bool>());
    }

    [Fact]
    public void MoreIterationsNeverFitWorseThanTheSeedingAndEveryCodeStaysInUse()
    {
        // Overlapping clusters, more centroids than planted directions: Lloyd's rounds must still raise the mean cosine,
        // and the refill keeps centroids from dying.
        var (frames, _, _) = Planted(clusters: 5, dim: 6, perCluster: 60, noise: 0.6, seed: 11);
        var once = KMeansCodebook.Learn(frames, clusters: 24, seed: 2, iterations: 1);
        var many = KMeansCodebook.Learn(frames, clusters: 24, seed: 2, iterations: 25);
        Assert.True(many.MeanCosine >= once.MeanCosine, $"{many.MeanCosine:F4} after 25 rounds, {once.MeanCosine:F4} after 1");
        Assert.Equal(24, many.UsedCodes);
    }

    [Fact]
    public void TooFewFramesIsOneLineSayingHowMany()
    {
        var error = Assert.Throws<ArgumentException>(() => KMeansCodebook.Learn(randn(5, 3), clusters: 8, seed: 0));
        Assert.StartsWith("k-means with 8 clusters needs at least 8 frames, got 5.", error.Message);
    }
}
