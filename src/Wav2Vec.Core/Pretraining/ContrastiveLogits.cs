using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The similarity logits of the contrastive task, paper §3.3 eq. 3: for a masked frame t with context vector c_t,
/// true quantized latent q_t and distractors q̃, logit(q) = sim(c_t, q)/κ with sim the cosine similarity.
/// </summary>
public static class ContrastiveLogits
{
    /// <summary>
    /// Logits [N, 1 + K] in fp32 for the N masked frames in (batch, frame) order: column 0 is the positive, columns
    /// 1 … K the distractors; a distractor equal to its positive (same code vectors) gets −∞ so it cannot count
    /// against the true answer.
    /// </summary>
    /// <param name="context">Projected context vectors c [batch, frames, D] (<c>project_hid</c> output).</param>
    /// <param name="quantized">Projected quantized latents q [batch, frames, D] (<c>project_q</c> output).</param>
    /// <param name="mask">Masked frames [batch, frames], bool.</param>
    /// <param name="negatives">Distractor indices [batch, frames, K] into the flattened batch (<see cref="NegativeSampling.ToTensor"/>).</param>
    /// <param name="temperature">κ; the paper uses 0.1.</param>
    public static Tensor Compute(Tensor context, Tensor quantized, Tensor mask, Tensor negatives, double temperature)
    {
        using var scope = torch.NewDisposeScope();
        var (positions, positives, distractors) = Gather(quantized, mask, negatives);
        var predicted = context.reshape(-1, context.shape[^1]).index_select(0, positions).to_type(ScalarType.Float32);
        var targets = torch.cat([positives.unsqueeze(1), distractors], 1).to_type(ScalarType.Float32);
        var logits = torch.nn.functional.cosine_similarity(predicted.unsqueeze(1), targets, dim: -1) / temperature;
        var sameAsPositive = distractors.eq(positives.unsqueeze(1)).all(-1);
        var blocked = torch.cat([torch.zeros_like(sameAsPositive[.., ..1]), sameAsPositive], 1);
        return logits.masked_fill(blocked, double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Masked-frame positions [N] in the flattened batch, their positives [N, D] and distractors [N, K, D].</summary>
    static (Tensor Positions, Tensor Positives, Tensor Distractors) Gather(Tensor quantized, Tensor mask, Tensor negatives)
    {
        var flat = quantized.reshape(-1, quantized.shape[^1]);
        var positions = mask.reshape(-1).nonzero().squeeze(1);
        var count = negatives.shape[^1];
        var drawn = negatives.reshape(-1, count).index_select(0, positions);
        var distractors = flat.index_select(0, drawn.reshape(-1)).reshape(positions.shape[0], count, flat.shape[1]);
        return (positions, flat.index_select(0, positions), distractors);
    }
}
