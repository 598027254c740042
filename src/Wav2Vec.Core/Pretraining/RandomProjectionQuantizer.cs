using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// BEST-RQ's targets (Chiu et al. 2022, §2.1): features → per-utterance normalisation → frozen random projection →
/// index of the nearest entry of a frozen random codebook, both l2-normalised. Nothing here is trained.
/// </summary>
public static class RandomProjectionQuantizer
{
    /// <summary>
    /// The projection [featureDim, codebookDim] (Xavier uniform) and the codebook [codebookSize, codebookDim]
    /// (standard normal, rows l2-normalised), drawn on the CPU from <paramref name="seed"/> alone.
    /// </summary>
    public static (Tensor Projection, Tensor Codebook) Draw(long featureDim, int codebookDim, int codebookSize, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var bound = Math.Sqrt(6.0 / (featureDim + codebookDim));
        var projection = rand([featureDim, codebookDim], generator: generator).mul_(2 * bound).sub_(bound);
        var codebook = nn.functional.normalize(randn([codebookSize, codebookDim], generator: generator), p: 2, dim: -1);
        return (projection, codebook);
    }

    /// <summary>
    /// Code indices [B, T] (int64) of <paramref name="features"/> [B, T, C]: <see cref="Normalize"/> over the real
    /// frames (<paramref name="frameMask"/> [B, T] bool, null: all real), then <see cref="Codes"/>. No gradient flows.
    /// </summary>
    public static Tensor Targets(Tensor features, Tensor? frameMask, Tensor projection, Tensor codebook)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return Codes(Normalize(features, frameMask), projection, codebook).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="features"/> [B, T, C] → float32 [B, T, C], each row at zero mean and unit variance per channel
    /// over its real frames (<paramref name="frameMask"/> [B, T] bool, null: all real); the paper's normalisation,
    /// without which the random projection collapses onto few codes. Padded frames are normalised with the row's
    /// statistics but take no part in them. Detached.
    /// </summary>
    public static Tensor Normalize(Tensor features, Tensor? frameMask)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = features.detach().to(float32);
        var weight = (frameMask ?? ones(x.shape[0], x.shape[1], dtype: @bool, device: x.device)).to(float32).unsqueeze(-1);
        var count = weight.sum(1, keepdim: true).clamp_min(1);
        var mean = x.mul(weight).sum(1, keepdim: true).div(count);
        var variance = x.sub(mean).square().mul(weight).sum(1, keepdim: true).div(count);
        return x.sub(mean).div(variance.add(1e-5).sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Code indices [B, T] (int64) of normalised features [B, T, C]: projected by <paramref name="projection"/> [C, d],
    /// l2-normalised, and matched to the closest row of <paramref name="codebook"/> [V, d] (for unit vectors the
    /// smallest distance is the largest dot product). No gradient flows.
    /// </summary>
    public static Tensor Codes(Tensor normalised, Tensor projection, Tensor codebook)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var projected = nn.functional.normalize(normalised.matmul(projection.to(normalised.device)), p: 2, dim: -1);
        return projected.matmul(codebook.to(normalised.device).t()).argmax(-1).MoveToOuterDisposeScope();
    }
}
