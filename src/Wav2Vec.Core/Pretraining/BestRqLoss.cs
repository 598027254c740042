using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>The BEST-RQ loss of one micro-batch and what a researcher reads next to it.</summary>
/// <param name="Loss">Mean cross-entropy over masked frames (scalar tensor with its graph).</param>
/// <param name="Accuracy">Masked-frame top-1 accuracy of the prediction head.</param>
/// <param name="CodePerplexity">exp(entropy) of the target codes' usage over the masked frames: how many codebook entries are in use.</param>
/// <param name="MajorityCode">Frequency of the most common target code at masked frames: the accuracy of always guessing it, the honest chance level.</param>
public sealed record BestRqLosses(Tensor Loss, double Accuracy, double CodePerplexity, double MajorityCode);

/// <summary>BEST-RQ's objective (Chiu et al. 2022, §2.2): cross-entropy between the head's logits and the random-projection codes, at masked frames only.</summary>
public static class BestRqLoss
{
    /// <summary>
    /// <paramref name="logits"/> [B, T, V], <paramref name="targets"/> [B, T] int64 code indices, <paramref name="timeMask"/>
    /// [B, T] bool (the masked frames; padded frames are never masked) → <see cref="BestRqLosses"/>. Frames outside the
    /// mask take no part: their logits get no gradient and change nothing.
    /// </summary>
    public static BestRqLosses Compute(Tensor logits, Tensor targets, Tensor timeMask, int codebookSize)
    {
        var maskedLogits = logits.index(timeMask);
        var maskedTargets = targets.to(logits.device).index(timeMask);
        var loss = nn.functional.cross_entropy(maskedLogits.to(float32), maskedTargets);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var frames = Math.Max(1L, maskedTargets.shape[0]);
        var accuracy = maskedLogits.argmax(-1).eq(maskedTargets).sum().item<long>() / (double)frames;
        var usage = maskedTargets.bincount(null, codebookSize).to(float64).div(frames);
        var entropy = -usage.mul(usage.clamp_min(1e-30).log()).sum().item<double>();
        return new BestRqLosses(loss, accuracy, Math.Exp(entropy), usage.max().item<double>());
    }
}
