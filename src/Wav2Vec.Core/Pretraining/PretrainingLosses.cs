using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// Every term of the pre-training objective for one batch, as fp32 scalar tensors that keep their graph
/// (call <c>Total.backward()</c>), plus the codebook and accuracy metrics and the detached logits they came from
/// (for <see cref="ContrastiveDiagnostics"/>).
/// </summary>
/// <param name="Total">
/// The optimised loss per masked frame: Contrastive/N + α·Diversity + β·FeaturePenalty (without α·Diversity for
/// continuous targets). Hugging Face's
/// <c>loss</c> is N times this when β = 0; fairseq also divides its summed loss by N (the sample size).
/// </param>
/// <param name="Contrastive">L_m summed over the N masked frames (eq. 3).</param>
/// <param name="Diversity">L_d = (G·V − perplexity)/(G·V), unweighted (eq. 4); NaN and not in the total with continuous targets.</param>
/// <param name="FeaturePenalty">Mean squared feature-encoder output, unweighted.</param>
/// <param name="Perplexity">Codebook perplexity the diversity term was computed from; NaN with continuous targets.</param>
/// <param name="Accuracy">Fraction of masked frames whose positive beats every distractor.</param>
/// <param name="CodeUsage">Distinct codes chosen on masked frames / (G·V); NaN when no hard codes were given.</param>
/// <param name="MaskedFrames">N, the number of masked frames in the batch.</param>
public sealed record PretrainingLosses(
    Tensor Total, Tensor Contrastive, Tensor Diversity, Tensor FeaturePenalty,
    Tensor Perplexity, Tensor Accuracy, double CodeUsage, int MaskedFrames)
{
    /// <summary>
    /// The contrastive logits [N, 1 + K] of <see cref="ContrastiveLogits.Compute"/>, detached, fp32: column 0 the
    /// positive, −∞ where a distractor equals its positive. Null when the losses were built without them.
    /// </summary>
    public Tensor? Logits { get; init; }

    /// <summary>κ the cosine similarities in <see cref="Logits"/> were divided by (NaN when <see cref="Logits"/> is null).</summary>
    public double LogitTemperature { get; init; } = double.NaN;

    /// <summary>Plain numbers for reports and logs (copies the scalars off the device).</summary>
    public PretrainingLossValues ToValues() => new(
        Total.item<float>(), Contrastive.item<float>(), Contrastive.item<float>() / Math.Max(MaskedFrames, 1),
        Diversity.item<float>(), FeaturePenalty.item<float>(), Perplexity.item<float>(),
        Accuracy.item<float>(), CodeUsage, MaskedFrames);
}

/// <summary>The values of <see cref="PretrainingLosses"/> as numbers; <c>ContrastiveMean</c> = Contrastive / N.</summary>
public sealed record PretrainingLossValues(
    double Total, double Contrastive, double ContrastiveMean, double Diversity, double FeaturePenalty,
    double Perplexity, double Accuracy, double CodeUsage, int MaskedFrames);
