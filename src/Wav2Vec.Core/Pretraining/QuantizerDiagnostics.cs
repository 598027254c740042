using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// How confident the Gumbel quantizer (paper §2.1) is, from its logits (<c>weight_proj</c> output, <see cref="QuantizerOutput.Logits"/>).
/// The probability perplexity alone cannot tell a stuck quantizer from a working one: it is at its maximum G·V both when
/// every frame's softmax is uniform (no information in the targets: facebookresearch/fairseq#3109's stuck run shows
/// <c>prob_perplexity</c> 639.98 of 640 with diversity loss and gradient norm 0) and when every frame picks its own
/// code with certainty. Per-frame confidence separates the two.
/// </summary>
public static class QuantizerDiagnostics
{
    /// <summary>
    /// Share of (frame, group) codes that two independent Gumbel-max draws on the same logits agree on: 1/V when the
    /// logits are uniform (each pass picks a random code, the targets are noise), → 1 when the logits are confident
    /// (the targets are stable). The argmax of (logits + g)/τ does not depend on τ, so neither does this. Noise comes
    /// from a generator seeded by <paramref name="seed"/>, never from libtorch's global one, so measuring leaves a run's
    /// random streams alone. NaN when no frame is selected.
    /// </summary>
    /// <param name="logits">[B, T, G·V] or [N, G·V]; column g·V + v is group g, entry v.</param>
    /// <param name="entries">V, entries per group.</param>
    /// <param name="frameMask">[B, T] (or [N]) bool, the frames to count (masked frames in pre-training); all when null.</param>
    /// <param name="seed">Seed of the two draws.</param>
    public static double CodeAgreement(Tensor logits, int entries, Tensor? frameMask, long seed)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var grouped = Grouped(logits, entries, frameMask);
        if (grouped.shape[0] == 0) return double.NaN;
        using var generator = new Generator((ulong)seed, grouped.device);
        var first = GumbelSoftmax.StraightThrough(grouped, 1.0, generator).argmax(-1);
        var second = GumbelSoftmax.StraightThrough(grouped, 1.0, generator).argmax(-1);
        return first.eq(second).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>
    /// The expectation of <see cref="CodeAgreement"/> without sampling: Gumbel-max draws entry v with probability
    /// p_v = softmax(logits)_v, so two draws agree with probability Σ_v p_v², averaged over (frame, group). Exactly 1/V
    /// for uniform logits; noise-free, so it also shows small changes. NaN when no frame is selected.
    /// </summary>
    /// <inheritdoc cref="CodeAgreement" path="/param"/>
    public static double ExpectedCodeAgreement(Tensor logits, int entries, Tensor? frameMask)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var grouped = Grouped(logits, entries, frameMask);
        if (grouped.shape[0] == 0) return double.NaN;
        return grouped.softmax(-1).square().sum(-1).mean().item<float>();
    }

    /// <summary>
    /// Standard deviation of the logits across the V entries of a group, averaged over (frame, group): the spread
    /// that makes the softmax peaked (an offset shared by a group's entries changes nothing). 0 for uniform logits;
    /// well above 1 means confident codes. NaN when no frame is selected.
    /// </summary>
    /// <inheritdoc cref="CodeAgreement" path="/param"/>
    public static double LogitsStd(Tensor logits, int entries, Tensor? frameMask)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var grouped = Grouped(logits, entries, frameMask);
        if (grouped.shape[0] == 0) return double.NaN;
        return grouped.std(-1, unbiased: false).mean().item<float>();
    }

    /// <summary>The selected frames' logits as [N, G, V] fp32, detached.</summary>
    static Tensor Grouped(Tensor logits, int entries, Tensor? frameMask)
    {
        var width = logits.shape[^1];
        if (entries < 1 || width % entries != 0)
            throw new ArgumentException($"logits have {width} columns, not a multiple of {entries} entries per group.", nameof(logits));
        var flat = logits.detach().reshape(-1, width / entries, entries).to_type(ScalarType.Float32);
        if (frameMask is null) return flat;
        if (frameMask.numel() != flat.shape[0])
            throw new ArgumentException($"frame mask has {frameMask.numel()} frames, the logits {flat.shape[0]}.", nameof(frameMask));
        var rows = frameMask.reshape(-1).to(flat.device).nonzero().squeeze(1);
        return flat.index_select(0, rows);
    }
}
