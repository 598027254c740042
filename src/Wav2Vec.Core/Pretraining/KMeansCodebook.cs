using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// A codebook learned from the data instead of drawn at random (HuBERT's targets, Hsu et al. 2021, §II.B, on the
/// direction of the features rather than their position): spherical k-means over unit vectors, so that
/// <see cref="RandomProjectionQuantizer.Codes"/>' nearest-entry rule (the largest dot product) assigns each frame to the
/// centroid it was clustered with. Deterministic for a seed; nothing here is trained by gradient.
/// </summary>
public static class KMeansCodebook
{
    /// <summary>What a fit reports: the codebook [V, C] (unit rows) and how well it covers the frames it was fitted on.</summary>
    /// <param name="Codebook">The centroids, l2-normalised, [V, C] float32.</param>
    /// <param name="MeanCosine">The mean cosine of a frame to its centroid after the last iteration.</param>
    /// <param name="UsedCodes">Centroids that are the nearest of at least one frame.</param>
    /// <param name="Perplexity">exp of the entropy of the frames' assignment over the codes (V if perfectly even).</param>
    public sealed record Fit(Tensor Codebook, double MeanCosine, int UsedCodes, double Perplexity);

    /// <summary>
    /// Spherical k-means of <paramref name="frames"/> [N, C] (rows are l2-normalised here) into
    /// <paramref name="clusters"/> centroids: k-means++ seeding on the cosine distance, then <paramref name="iterations"/>
    /// rounds of assigning every frame to its most similar centroid and renormalising each centroid's sum. Centroids that
    /// lose all their frames restart at the frames the codebook fits worst (one each), so every entry stays in use while
    /// the data has that many distinct directions. Needs at least <paramref name="clusters"/> frames.
    /// </summary>
    public static Fit Learn(Tensor frames, int clusters, long seed, int iterations = 20)
    {
        if (frames.dim() != 2) throw new ArgumentException($"frames must be [N, C], got [{string.Join(", ", frames.shape)}].", nameof(frames));
        if (clusters < 2) throw new ArgumentOutOfRangeException(nameof(clusters), clusters, "k-means needs at least 2 clusters.");
        if (frames.shape[0] < clusters)
            throw new ArgumentException($"k-means with {clusters} clusters needs at least {clusters} frames, got {frames.shape[0]}.", nameof(frames));
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "k-means needs at least one iteration.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = nn.functional.normalize(frames.detach().to(float32).cpu(), p: 2, dim: -1);
        var n = x.shape[0];
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))) ^ 0x6b6d);
        var centroids = Seed(x, clusters, random);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var (similarity, assignment) = Nearest(x, centroids);
            var sums = zeros_like(centroids).index_add_(0, assignment, x, 1);
            var counts = bincount(assignment, minlength: clusters);
            var empty = counts.eq(0).nonzero().flatten();
            if (empty.shape[0] > 0)
            {
                // Refill empty centroids with the frames the current codebook fits worst, one each.
                var worst = similarity.argsort().slice(0, 0, empty.shape[0], 1);
                sums.index_copy_(0, empty, x.index_select(0, worst));
            }
            centroids = nn.functional.normalize(sums, p: 2, dim: -1);
        }
        var (fitted, assigned) = Nearest(x, centroids);
        var share = bincount(assigned, minlength: clusters).to(float64).div(n);
        var used = (int)share.gt(0).sum().item<long>();
        var entropy = -share.where(share.gt(0), ones_like(share)).log().mul(share).sum().item<double>();
        return new Fit(centroids.contiguous().MoveToOuterDisposeScope(), fitted.mean().item<float>(), used, Math.Exp(entropy));
    }

    /// <summary>The most similar centroid of each frame: (cosine [N], index [N] int64).</summary>
    static (Tensor Similarity, Tensor Index) Nearest(Tensor x, Tensor centroids) => x.matmul(centroids.t()).max(1);

    /// <summary>k-means++ on the cosine distance 1 − x·c: each next centroid is a frame drawn with probability ∝ distance².</summary>
    static Tensor Seed(Tensor x, int clusters, Random random)
    {
        var n = (int)x.shape[0];
        var chosen = new long[clusters];
        chosen[0] = random.Next(n);
        var distance = x.matmul(x[chosen[0]]).neg().add(1).clamp_min(0);
        for (var k = 1; k < clusters; k++)
        {
            var weights = distance.square().to(float64).data<double>().ToArray();
            var total = weights.Sum();
            var pick = total <= 0 ? random.Next(n) : Draw(weights, total * random.NextDouble());
            chosen[k] = pick;
            distance = distance.minimum(x.matmul(x[pick]).neg().add(1).clamp_min(0));
        }
        return x.index_select(0, tensor(chosen));
    }

    static int Draw(double[] weights, double target)
    {
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (cumulative >= target && weights[i] > 0) return i;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }
}
