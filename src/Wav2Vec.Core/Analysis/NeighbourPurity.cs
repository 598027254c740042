using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// How well a representation groups frames by label: the share of each point's k nearest neighbours (Euclidean,
/// the point itself excluded) that carry its label, averaged over points. 1 means labels form pure neighbourhoods.
/// </summary>
public static class NeighbourPurity
{
    /// <summary>k-NN label purity of <paramref name="points"/> [N, D] with <paramref name="labels"/> [N] (O(N²) memory).</summary>
    public static double Of(Tensor points, IReadOnlyList<string> labels, int k = 5)
    {
        var n = (int)points.shape[0];
        if (labels.Count != n) throw new ArgumentException($"{labels.Count} labels for {n} points.", nameof(labels));
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} neighbours among {n} points (needs 1 ≤ k < N).");
        using var scope = NewDisposeScope();
        var x = points.to(ScalarType.Float64).cpu();
        var distances = cdist(x, x) + eye(n, dtype: ScalarType.Float64) * double.MaxValue;
        var neighbours = distances.topk(k, largest: false).indexes.contiguous().data<long>().ToArray();
        var agreeing = neighbours.Where((j, flat) => labels[(int)j] == labels[flat / k]).Count();
        return agreeing / (double)neighbours.Length;
    }

    /// <summary>The purity a representation unrelated to the labels would score on average: Σ over labels of share².</summary>
    public static double Chance(IReadOnlyList<string> labels) =>
        labels.GroupBy(l => l).Sum(g => Math.Pow(g.Count() / (double)labels.Count, 2));
}
