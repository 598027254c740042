using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// A principal component analysis fitted to [N, D] data. Owns its tensors (float64, CPU): dispose when done.
/// </summary>
/// <param name="Mean">[D] the data mean the projection subtracts.</param>
/// <param name="Components">[k, D] unit principal directions, largest variance first; each direction's largest-magnitude loading is positive, so fits are reproducible.</param>
/// <param name="ExplainedVariance">[k] the data's variance along each component (divisor N − 1).</param>
/// <param name="ExplainedVarianceRatio">[k] each component's share of the total variance.</param>
public sealed record PcaFit(Tensor Mean, Tensor Components, double[] ExplainedVariance, double[] ExplainedVarianceRatio) : IDisposable
{
    /// <summary>[N, D] → [N, k] coordinates along the components (in the input's dtype).</summary>
    public Tensor Transform(Tensor x)
    {
        using var scope = NewDisposeScope();
        var centred = x.to(ScalarType.Float64).cpu() - Mean;
        return centred.matmul(Components.t()).to(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        Components.Dispose();
    }
}

/// <summary>Principal component analysis by a thin SVD of the centred data (torch.linalg.svd, float64).</summary>
public static class Pca
{
    /// <summary>
    /// Fits the first <paramref name="components"/> principal components of <paramref name="x"/> [N, D]
    /// (1 ≤ components ≤ min(N, D)).
    /// </summary>
    public static PcaFit Fit(Tensor x, int components = 2)
    {
        if (x.dim() != 2) throw new ArgumentException($"PCA needs a [N, D] matrix; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        long n = x.shape[0], d = x.shape[1];
        if (n < 2) throw new ArgumentException($"PCA needs at least 2 points; got {n}.", nameof(x));
        if (components < 1 || components > Math.Min(n, d))
            throw new ArgumentOutOfRangeException(nameof(components), $"{components} components asked of a {n} × {d} matrix (at most {Math.Min(n, d)}).");
        using var scope = NewDisposeScope();
        var data = x.to(ScalarType.Float64).cpu();
        var mean = data.mean([0]);
        var (_, s, vh) = linalg.svd(data - mean, fullMatrices: false);
        var variance = s.square() / (n - 1);
        var kept = vh.narrow(0, 0, components);
        var largest = kept.abs().argmax(1, keepdim: true);
        var directions = kept * kept.gather(1, largest).sign();
        var explained = variance.narrow(0, 0, components).contiguous().data<double>().ToArray();
        var total = variance.sum().item<double>();
        return new PcaFit(mean.DetachFromDisposeScope(), directions.contiguous().DetachFromDisposeScope(),
            explained, [.. explained.Select(v => total > 0 ? v / total : 0)]);
    }
}
