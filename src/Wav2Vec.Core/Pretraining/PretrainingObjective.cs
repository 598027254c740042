using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The wav2vec 2.0 objective L = L_m + α·L_d + β·‖features‖² (paper §3.3, eq. 2–4) from the model's outputs,
/// as a function of tensors so it can be tested without the model. Losses are computed in fp32 whatever the
/// inputs' dtype, on the inputs' device.
/// </summary>
public static class PretrainingObjective
{
    /// <summary>
    /// The objective of a model's output: <see cref="PreTrainingOutput.ProjectedStates"/> against
    /// <see cref="PreTrainingOutput.ProjectedTargets"/>, the quantizer's perplexity and codes (G and V from its tensors),
    /// the feature penalty on the feature-encoder output. Without a quantizer (continuous targets) the diversity term
    /// is absent, as in the overload below with a null perplexity.
    /// </summary>
    /// <param name="output">The model's output for the batch.</param>
    /// <param name="mask">Masked frames [batch, frames], bool, as passed to the model.</param>
    /// <param name="negatives">Distractor indices [batch, frames, K] into the flattened batch.</param>
    /// <param name="options">κ, α and β.</param>
    public static PretrainingLosses Compute(PreTrainingOutput output, Tensor mask, Tensor negatives, ObjectiveOptions options)
    {
        var q = output.Quantizer;
        var groups = q is null ? 0 : (int)q.CodevectorIndices.shape[^1];
        var entries = q is null ? 0 : (int)(q.Logits.shape[^1] / groups);
        return Compute(output.ProjectedStates, output.ProjectedTargets, mask, negatives, q?.ProbPerplexity, groups, entries,
            output.FeaturePenaltyInput, q?.CodevectorIndices, options);
    }

    /// <param name="context">Projected context vectors [batch, frames, D] (<c>project_hid</c>).</param>
    /// <param name="quantized">Projected targets [batch, frames, D] (<c>project_q</c> of the quantized latents, or <c>project_features</c>).</param>
    /// <param name="mask">Masked frames [batch, frames], bool, on the inputs' device.</param>
    /// <param name="negatives">Distractor indices [batch, frames, K] into the flattened batch (<see cref="NegativeSampling"/>).</param>
    /// <param name="perplexity">
    /// Codebook perplexity (scalar) of the quantizer on this batch; null without a quantizer (continuous targets): no
    /// diversity term in the total, <see cref="PretrainingLosses.Diversity"/> and <see cref="PretrainingLosses.Perplexity"/> NaN.
    /// </param>
    /// <param name="groups">G, the number of codebooks.</param>
    /// <param name="entries">V, entries per codebook.</param>
    /// <param name="features">Feature-encoder output for the L2 penalty (any shape); null leaves the penalty at 0.</param>
    /// <param name="codeIndices">Hard code choices [batch, frames, G] for <see cref="PretrainingLosses.CodeUsage"/>; null gives NaN.</param>
    /// <param name="options">κ, α and β (K is taken from <paramref name="negatives"/>).</param>
    public static PretrainingLosses Compute(
        Tensor context, Tensor quantized, Tensor mask, Tensor negatives, Tensor? perplexity, int groups, int entries,
        Tensor? features, Tensor? codeIndices, ObjectiveOptions options)
    {
        options.Validate();
        using var scope = torch.NewDisposeScope();
        var logits = ContrastiveLogits.Compute(context, quantized, mask, negatives, options.Temperature);
        var maskedFrames = (int)logits.shape[0];
        var contrastive = ContrastiveLoss.Sum(logits);
        var penalty = features is null
            ? torch.zeros([], ScalarType.Float32, device: context.device)
            : FeaturePenalty.Compute(features);
        var perFrame = contrastive / Math.Max(maskedFrames, 1);
        var nan = torch.full([], double.NaN, ScalarType.Float32, device: context.device);
        // Continuous targets have no codebook, so no diversity term (fairseq adds it only with a quantizer).
        var diversity = perplexity is null ? nan : CodebookStatistics.DiversityLoss(perplexity, groups, entries);
        var total = perplexity is null
            ? perFrame + options.FeaturePenaltyWeight * penalty
            : perFrame + options.DiversityWeight * diversity + options.FeaturePenaltyWeight * penalty;
        var usage = codeIndices is null
            ? double.NaN
            : CodebookStatistics.CodeUsage(
                codeIndices.reshape(-1, codeIndices.shape[^1]).index_select(0, mask.reshape(-1).nonzero().squeeze(1)), entries);
        return new PretrainingLosses(
            total.MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(), diversity.MoveToOuterDisposeScope(),
            penalty.MoveToOuterDisposeScope(), (perplexity?.detach().to_type(ScalarType.Float32) ?? nan.clone()).MoveToOuterDisposeScope(),
            ContrastiveLoss.Accuracy(logits.detach()).MoveToOuterDisposeScope(), usage, maskedFrames)
        {
            Logits = logits.detach().MoveToOuterDisposeScope(),
            LogitTemperature = options.Temperature,
        };
    }
}
