using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The contrastive loss L_m of paper §3.3 eq. 3 and its accuracy, from the logits of <see cref="ContrastiveLogits"/>.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>
    /// L_m = −Σ_t log softmax(logits_t)[0]: cross-entropy with the positive at index 0, summed over the N masked
    /// frames as Hugging Face does (divide by N for the mean). Scalar fp32.
    /// </summary>
    /// <param name="logits">[N, 1 + K], positive first.</param>
    public static Tensor Sum(Tensor logits)
    {
        using var scope = torch.NewDisposeScope();
        var targets = torch.zeros(logits.shape[0], ScalarType.Int64, device: logits.device);
        return torch.nn.functional.cross_entropy(logits.to_type(ScalarType.Float32), targets, reduction: nn.Reduction.Sum)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The chance levels of the task the logits pose: a distractor equal to its positive has logit −∞ (the loss leaves it
    /// out, <see cref="ContrastiveLogits"/>), so a frame with n of its K distractors left has chance accuracy 1/(1 + n)
    /// and chance loss ln(1 + n). Returns the means over the masked frames — 1/(K + 1) and ln(K + 1) when no distractor
    /// equals its positive, and near 1 and 0 when a collapsed codebook makes most distractors equal (so accuracy over
    /// such a chance level does not count a collapse as learning). (1/(K + 1), ln(K + 1)) when there are no masked frames.
    /// </summary>
    /// <param name="logits">[N, 1 + K], positive first.</param>
    public static (double Accuracy, double Contrastive) Chance(Tensor logits)
    {
        var k = logits.shape[1] - 1;
        if (logits.shape[0] == 0) return (1.0 / (k + 1), Math.Log(k + 1));
        using var scope = torch.NewDisposeScope();
        var candidates = logits[.., 1..].isfinite().sum(1).to_type(ScalarType.Float64) + 1;
        return (candidates.reciprocal().mean().item<double>(), candidates.log().mean().item<double>());
    }

    /// <summary>
    /// Fraction of masked frames whose positive strictly beats every distractor (a tie counts as wrong, as fairseq
    /// excludes frames where all logits are equal). Scalar fp32; 0 when there are no masked frames.
    /// </summary>
    public static Tensor Accuracy(Tensor logits)
    {
        using var scope = torch.NewDisposeScope();
        if (logits.shape[0] == 0) return torch.zeros([], ScalarType.Float32, device: logits.device).MoveToOuterDisposeScope();
        var best = logits[.., 1..].max(1).values;
        return logits[.., 0].gt(best).to_type(ScalarType.Float32).mean().MoveToOuterDisposeScope();
    }
}
