using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Straight-through Gumbel-softmax (Jang et al., 2017; paper §2.1 eq. 1). Hand-written: TorchSharp has no
/// gumbel_softmax and no served package provides one.
/// </summary>
public static class GumbelSoftmax
{
    /// <summary>
    /// One-hot samples [..., V] of softmax((logits + g)/τ) with g ~ Gumbel(0, 1): the forward value is the hard one-hot
    /// of the argmax, the gradient that of the soft sample (y_hard − sg(y_soft) + y_soft). Computed in float32.
    /// <paramref name="noise"/> (same shape as <paramref name="logits"/>) supplies g instead of drawing it from
    /// <paramref name="generator"/>, for reproducing a reference computation.
    /// </summary>
    public static Tensor StraightThrough(Tensor logits, double temperature, Generator? generator = null, Tensor? noise = null)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Gumbel temperature must be positive.");
        if (noise is not null && !noise.shape.SequenceEqual(logits.shape))
            throw new ArgumentException(
                $"Gumbel noise has shape [{string.Join(", ", noise.shape)}], the logits [{string.Join(", ", logits.shape)}].", nameof(noise));
        using var scope = NewDisposeScope();
        var x = logits.to(ScalarType.Float32);
        // −log(Exp(1)) is Gumbel(0, 1), exactly as torch.nn.functional.gumbel_softmax draws it.
        var gumbels = noise?.to(ScalarType.Float32, x.device) ?? empty_like(x).exponential_(1.0, generator).log().neg();
        return HardSoft(x + gumbels, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="StraightThrough"/> without Gumbel draws, the "no Gumbel noise" ablation of the paper (Table 5): the
    /// forward value is the one-hot argmax of <paramref name="logits"/> [..., V], the gradient that of softmax(logits/τ).
    /// Deterministic; computed in float32.
    /// </summary>
    public static Tensor StraightThroughWithoutNoise(Tensor logits, double temperature)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Gumbel temperature must be positive.");
        using var scope = NewDisposeScope();
        return HardSoft(logits.to(ScalarType.Float32), temperature).MoveToOuterDisposeScope();
    }

    /// <summary>y_hard − sg(y_soft) + y_soft with y_soft = softmax(scores/τ) and y_hard its one-hot argmax.</summary>
    static Tensor HardSoft(Tensor scores, double temperature)
    {
        var soft = (scores / temperature).softmax(-1);
        var hard = zeros_like(soft).scatter_(-1, soft.argmax(-1, keepdim: true), ones_like(soft));
        return hard - soft.detach() + soft;
    }

    /// <summary>
    /// Perplexity of the code distribution, summed over groups: Σ_g exp(−Σ_v p̄_gv · ln(p̄_gv + 1e−7)) with p̄ the mean
    /// of <paramref name="probs"/> [N, G, V] over the N frames where <paramref name="frameMask"/> [N] is true (all when null).
    /// Ranges from G (collapse) to G·V (uniform use); float32.
    /// </summary>
    public static Tensor Perplexity(Tensor probs, Tensor? frameMask)
    {
        using var scope = NewDisposeScope();
        var p = probs.to(ScalarType.Float32);
        Tensor mean;
        if (frameMask is null) mean = p.mean([0]);
        else
        {
            var m = frameMask.to(ScalarType.Float32).view(-1, 1, 1);
            mean = (p * m).sum([0]) / m.sum().clamp_min(1);
        }
        return (mean * (mean + 1e-7).log()).sum(-1).neg().exp().sum().MoveToOuterDisposeScope();
    }
}
