using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The wav2vec 2.0 objective L = L_m + α·L_d + β·‖features‖² (paper §3.3, eq. 2–4) from the model's outputs,
/// as a function of tensors so it can be tested without the model. Losses are computed in fp32 whatever the
/// inputs' dtype, on the inputs' device.
/// </summary>
public static class PretrainingObjective
{
    /// <param name="context">Projected context vectors [batch, frames, D] (<c>project_hid</c>).</param>
    /// <param name="quantized">Projected quantized latents [batch, frames, D] (<c>project_q</c>).</param>
    /// <param name="mask">Masked frames [batch, frames], bool, on the inputs' device.</param>
    /// <param name="negatives">Distractor indices [batch, frames, K] into the flattened batch (<see cref="NegativeSampling"/>).</param>
    /// <param name="perplexity">Codebook perplexity (scalar) of the quantizer on this batch.</param>
    /// <param name="groups">G, the number of codebooks.</param>
    /// <param name="entries">V, entries per codebook.</param>
    /// <param name="features">Feature-encoder output for the L2 penalty (any shape); null leaves the penalty at 0.</param>
    /// <param name="codeIndices">Hard code choices [batch, frames, G] for <see cref="PretrainingLosses.CodeUsage"/>; null gives NaN.</param>
    /// <param name="options">κ, α and β (K is taken from <paramref name="negatives"/>).</param>
    public static PretrainingLosses Compute(
        Tensor context, Tensor quantized, Tensor mask, Tensor negatives, Tensor perplexity, int groups, int entries,
        Tensor? features, Tensor? codeIndices, ObjectiveOptions options)
    {
        options.Validate();
        using var scope = torch.NewDisposeScope();
        var logits = ContrastiveLogits.Compute(context, quantized, mask, negatives, options.Temperature);
        var maskedFrames = (int)logits.shape[0];
        var contrastive = ContrastiveLoss.Sum(logits);
        var diversity = CodebookStatistics.DiversityLoss(perplexity, groups, entries);
        var penalty = features is null
            ? torch.zeros([], ScalarType.Float32, device: context.device)
            : FeaturePenalty.Compute(features);
        var total = contrastive / Math.Max(maskedFrames, 1) + options.DiversityWeight * diversity
                    + options.FeaturePenaltyWeight * penalty;
        var usage = codeIndices is null
            ? double.NaN
            : CodebookStatistics.CodeUsage(
                codeIndices.reshape(-1, codeIndices.shape[^1]).index_select(0, mask.reshape(-1).nonzero().squeeze(1)), entries);
        return new PretrainingLosses(
            total.MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(), diversity.MoveToOuterDisposeScope(),
            penalty.MoveToOuterDisposeScope(), perplexity.detach().to_type(ScalarType.Float32).MoveToOuterDisposeScope(),
            ContrastiveLoss.Accuracy(logits.detach()).MoveToOuterDisposeScope(), usage, maskedFrames)
        {
            Logits = logits.detach().MoveToOuterDisposeScope(),
            LogitTemperature = options.Temperature,
        };
    }
}
