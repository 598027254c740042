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
    /// <remarks>
    /// Distractors come from the frame's own utterance (<see cref="NegativeSampling"/>), so every logit is an entry of
    /// the utterance's frame-by-frame cosine matrix: one batched product of the normalised vectors, [batch, frames,
    /// frames], from which the N × (1 + K) entries are read. The K distractor vectors of each masked frame are never
    /// copied out for the similarity (N × K × D values, and as many again in the backward pass): at BASE size on
    /// 8 × 4 s that copy and its gradient took ≈ 2 s of a training step, the matrix ≈ 0.1 s. Only the equality test
    /// reads the distractor vectors, without gradient. Cosines agree with <c>cosine_similarity</c> to float rounding
    /// (each norm is clamped at 1e-12 instead of their product at 1e-8: different only for vectors of norm ≈ 0).
    /// </remarks>
    /// <param name="context">Projected context vectors c [batch, frames, D] (<c>project_hid</c> output).</param>
    /// <param name="quantized">Projected quantized latents q [batch, frames, D] (<c>project_q</c> output).</param>
    /// <param name="mask">Masked frames [batch, frames], bool.</param>
    /// <param name="negatives">Distractor indices [batch, frames, K] into the flattened batch (<see cref="NegativeSampling.ToTensor"/>), each within its frame's utterance.</param>
    /// <param name="temperature">κ; the paper uses 0.1.</param>
    public static Tensor Compute(Tensor context, Tensor quantized, Tensor mask, Tensor negatives, double temperature)
    {
        using var scope = torch.NewDisposeScope();
        long frames = quantized.shape[1], count = negatives.shape[^1];
        var positions = mask.reshape(-1).nonzero().squeeze(1);
        var local = positions.remainder(frames);
        var start = (positions - local).unsqueeze(1);
        var drawn = negatives.reshape(-1, count).index_select(0, positions);
        var columns = torch.cat([local.unsqueeze(1), drawn - start], 1);
        var c = torch.nn.functional.normalize(context.to_type(ScalarType.Float32), dim: -1);
        var q = torch.nn.functional.normalize(quantized.to_type(ScalarType.Float32), dim: -1);
        var cosines = c.bmm(q.transpose(1, 2)).reshape(-1, frames).index_select(0, positions);
        var logits = cosines.gather(1, columns) / temperature;
        return logits.masked_fill(EqualToPositive(quantized, positions, drawn), double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>[N, 1 + K] bool: true where a distractor's vector equals its positive's (column 0, the positive, false).</summary>
    static Tensor EqualToPositive(Tensor quantized, Tensor positions, Tensor drawn)
    {
        using var _ = torch.no_grad();
        var flat = quantized.detach().reshape(-1, quantized.shape[^1]);
        var distractors = flat.index_select(0, drawn.reshape(-1)).reshape(drawn.shape[0], drawn.shape[1], flat.shape[1]);
        var same = distractors.eq(flat.index_select(0, positions).unsqueeze(1)).all(-1);
        return torch.cat([torch.zeros_like(same[.., ..1]), same], 1);
    }
}
