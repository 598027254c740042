using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// How the quantizer's G codebooks of V entries are used: perplexity, the diversity loss built on it (paper §3.2,
/// eq. 4) and the share of code entries in use. Everything in fp32.
/// </summary>
public static class CodebookStatistics
{
    /// <summary>
    /// Codebook perplexity Σ_g exp(H(p̄_g)), with p̄_g the softmax distribution over group g's entries averaged over
    /// the selected frames (H is the entropy). Ranges from G (every frame picks one entry) to G·V (uniform use).
    /// </summary>
    /// <param name="probabilities">[N, G, V] per-frame distributions over entries (soft in training, one-hot at eval).</param>
    /// <param name="frames">Optional [N] bool selecting the frames to average over (e.g. masked or unpadded ones).</param>
    public static Tensor Perplexity(Tensor probabilities, Tensor? frames = null)
    {
        using var scope = torch.NewDisposeScope();
        var p = probabilities.to_type(ScalarType.Float32);
        var marginal = frames is null
            ? p.mean([0])
            : (p * frames.to_type(ScalarType.Float32).reshape(-1, 1, 1)).sum([0]) / frames.sum().clamp_min(1);
        // 1e-7 keeps log finite for unused entries, as fairseq and Hugging Face do.
        var entropy = -(marginal * (marginal + 1e-7).log()).sum(-1);
        return entropy.exp().sum().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Diversity loss L_d = (G·V − perplexity)/(G·V) (paper eq. 4 maximises the entropy of p̄_g; fairseq and Hugging
    /// Face optimise it through the perplexity this way): 0 at uniform use, (G·V − G)/(G·V) when each group collapses
    /// onto one entry. Scalar fp32.
    /// </summary>
    public static Tensor DiversityLoss(Tensor perplexity, int groups, int entries)
    {
        var total = (double)groups * entries;
        return (total - perplexity.to_type(ScalarType.Float32)) / total;
    }

    /// <summary>Distinct (group, entry) pairs chosen over the frames divided by G·V, from hard code indices [N, G].</summary>
    public static double CodeUsage(Tensor codeIndices, int entries)
    {
        using var scope = torch.NewDisposeScope();
        var groups = codeIndices.shape[^1];
        var offsets = torch.arange(groups, ScalarType.Int64, device: codeIndices.device) * entries;
        var flat = (codeIndices.reshape(-1, groups).to_type(ScalarType.Int64) + offsets).reshape(-1);
        if (flat.shape[0] == 0) return 0;
        var used = torch.bincount(flat, minlength: groups * entries).gt(0).sum().item<long>();
        return used / (double)(groups * entries);
    }
}
