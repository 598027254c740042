using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// How the quantizer's G codebooks of V entries are used: the diversity loss built on the codebook perplexity
/// (paper §3.2, eq. 4; the perplexity itself is <see cref="Model.GumbelSoftmax.Perplexity"/>, which the quantizer
/// reports) and the share of code entries in use. Everything in fp32.
/// </summary>
public static class CodebookStatistics
{
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
