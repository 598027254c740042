using System.Collections.Immutable;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// What tells a stuck pre-training run from a learning one, for one batch. A learning run (facebookresearch/fairseq#3687's first
/// 400 updates: probability perplexity 108 → 39 of 640 and code perplexity 105 → 38 while accuracy rose 0.07 → 0.23)
/// shows the quantizer becoming confident (code agreement and logit spread rising, the perplexities falling below
/// ½·G·V together), the positive cosine pulling ahead of the distractors' and every part getting gradient. A stuck
/// run on the ln(K + 1) plateau (facebookresearch/fairseq#3109: probability perplexity 639.98 of 640, diversity loss 0, gradient
/// norm 0, and a code perplexity of 353 in training but 38 with argmax codes on the validation set) looks like flat logits
/// per frame: agreement near 1/V, a spread near 0, codes that are Gumbel noise, equal cosines, vanishing gradients.
/// </summary>
/// <param name="CodeAgreement">Share of (masked frame, group) codes two Gumbel draws agree on (<see cref="QuantizerDiagnostics.CodeAgreement"/>).</param>
/// <param name="CodeAgreementExpected">Its noise-free expectation Σ p² (<see cref="QuantizerDiagnostics.ExpectedCodeAgreement"/>).</param>
/// <param name="QuantizerLogitsStd">Spread of weight_proj's logits within a group (<see cref="QuantizerDiagnostics.LogitsStd"/>).</param>
/// <param name="CodePerplexity">
/// Perplexity of the codes chosen (Gumbel samples in training, argmax in eval), next to the probability perplexity the
/// diversity loss uses (reported with the losses). With flat logits the probability perplexity sits at G·V and the
/// training code perplexity is high only because the noise picks the codes; the eval (dev) code perplexity shows it.
/// </param>
/// <param name="Contrastive">Distractors equal to their positive, positive vs distractor cosine, logit spread.</param>
/// <param name="ConvFeaturesRms">RMS of the feature encoder's output over real frames (<see cref="FeatureScale"/>).</param>
/// <param name="ExtractFeaturesRms">RMS of its LayerNorm (the quantizer's input) over real frames.</param>
/// <remarks>
/// A model with continuous targets has no quantizer: the four quantizer measures are NaN, <see cref="HasQuantizer"/>
/// is false and <see cref="ToMetrics"/> leaves them out.
/// </remarks>
public sealed record PretrainingDiagnostics(
    double CodeAgreement, double CodeAgreementExpected, double QuantizerLogitsStd, double CodePerplexity,
    ContrastiveDiagnostics Contrastive, double ConvFeaturesRms, double ExtractFeaturesRms)
{
    /// <summary>Gradient L2 norm per part (<see cref="GradientNorms.ByPart"/>); empty until <see cref="WithGradients"/>.</summary>
    public ImmutableSortedDictionary<string, double> Gradients { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>False when the model had no quantizer (continuous targets), so the quantizer measures mean nothing.</summary>
    public bool HasQuantizer { get; init; } = true;

    /// <summary>
    /// Measures a forward pass: <paramref name="output"/> and <paramref name="losses"/> of the same batch, the time mask
    /// the model and the objective used. Quantizer measures are over the masked frames (where the targets are used;
    /// over the real frames when <paramref name="timeMask"/> is null), feature scales over the real frames. Reads
    /// values only (no graph is kept, no parameter touched); the agreement's two Gumbel draws use their own generator
    /// seeded by <paramref name="seed"/>, so measuring does not change a run's random streams.
    /// </summary>
    /// <param name="output">The model's output for the batch.</param>
    /// <param name="losses">The objective on that output; needs <see cref="PretrainingLosses.Logits"/>.</param>
    /// <param name="timeMask">Masked frames [B, T], bool, as passed to the model.</param>
    /// <param name="seed">Seed of the agreement's Gumbel draws (e.g. a function of run seed and step).</param>
    public static PretrainingDiagnostics Measure(PreTrainingOutput output, PretrainingLosses losses, Tensor? timeMask, long seed)
    {
        if (losses.Logits is not { } logits)
            throw new ArgumentException("the losses carry no contrastive logits (build them with PretrainingObjective.Compute).", nameof(losses));
        var contrastive = ContrastiveDiagnostics.From(logits, losses.LogitTemperature);
        var convRms = FeatureScale.Rms(output.Base.ConvFeatures, output.Base.FrameMask);
        var extractRms = FeatureScale.Rms(output.Base.ExtractFeatures, output.Base.FrameMask);
        if (output.Quantizer is not { } quantizer)
            return new PretrainingDiagnostics(double.NaN, double.NaN, double.NaN, double.NaN, contrastive, convRms, extractRms) { HasQuantizer = false };
        var groups = quantizer.CodevectorIndices.shape[^1];
        var entries = (int)(quantizer.Logits.shape[^1] / groups);
        var frames = timeMask ?? output.Base.FrameMask;
        return new PretrainingDiagnostics(
            QuantizerDiagnostics.CodeAgreement(quantizer.Logits, entries, frames, seed),
            QuantizerDiagnostics.ExpectedCodeAgreement(quantizer.Logits, entries, frames),
            QuantizerDiagnostics.LogitsStd(quantizer.Logits, entries, frames),
            quantizer.CodePerplexity.item<float>(), contrastive, convRms, extractRms);
    }

    /// <summary>
    /// These diagnostics with the per-part gradient norms of <paramref name="model"/>; call after <c>backward()</c> and
    /// before clipping (see <see cref="GradientNorms.ByPart"/>).
    /// </summary>
    public PretrainingDiagnostics WithGradients(TorchSharp.torch.nn.Module model) => this with { Gradients = GradientNorms.ByPart(model) };

    /// <summary>
    /// The values under their <see cref="DiagnosticNames"/>, each prefixed by <paramref name="prefix"/> (e.g.
    /// <see cref="DiagnosticNames.DevPrefix"/>); gradient norms as <c>grad_norm_PART</c>. NaN values (nothing to
    /// measure, e.g. no masked frame) are kept so a log shows that the measure was taken; the quantizer measures of a
    /// model without a quantizer are left out.
    /// </summary>
    public IEnumerable<KeyValuePair<string, double>> ToMetrics(string prefix = "")
    {
        KeyValuePair<string, double> M(string name, double value) => new(prefix + name, value);
        if (HasQuantizer)
        {
            yield return M(DiagnosticNames.CodeAgreement, CodeAgreement);
            yield return M(DiagnosticNames.CodeAgreementExpected, CodeAgreementExpected);
            yield return M(DiagnosticNames.QuantizerLogitsStd, QuantizerLogitsStd);
            yield return M(DiagnosticNames.CodePerplexity, CodePerplexity);
        }
        yield return M(DiagnosticNames.DistractorsEqual, Contrastive.DistractorsEqual);
        yield return M(DiagnosticNames.PositiveCosine, Contrastive.PositiveCosine);
        yield return M(DiagnosticNames.DistractorCosine, Contrastive.DistractorCosine);
        yield return M(DiagnosticNames.ContrastiveLogitsStd, Contrastive.LogitsStd);
        yield return M(DiagnosticNames.ConvFeaturesRms, ConvFeaturesRms);
        yield return M(DiagnosticNames.ExtractFeaturesRms, ExtractFeaturesRms);
        foreach (var (part, norm) in Gradients) yield return M(DiagnosticNames.GradNorm(part), norm);
    }
}
