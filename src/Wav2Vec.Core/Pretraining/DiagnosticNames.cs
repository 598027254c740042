namespace Wav2Vec.Pretraining;

/// <summary>
/// Metric names of <see cref="PretrainingDiagnostics"/> and <see cref="DevProbeResult"/> in a step report. They live
/// with the measurements; the trainer's own names (loss terms, <c>perplexity</c>, <c>accuracy</c>, <c>grad_norm</c>)
/// are in <c>Experiments.MetricNames</c>. Names are stable: logs, charts and sweep tables key on them.
/// </summary>
public static class DiagnosticNames
{
    /// <summary><see cref="PretrainingDiagnostics.CodeAgreement"/>: two Gumbel draws agree (1/V stuck, → 1 confident).</summary>
    public const string CodeAgreement = "code_agreement";
    /// <summary><see cref="PretrainingDiagnostics.CodeAgreementExpected"/>: Σ p², the noise-free expectation of the agreement.</summary>
    public const string CodeAgreementExpected = "code_agreement_expected";
    /// <summary><see cref="PretrainingDiagnostics.QuantizerLogitsStd"/>: spread of weight_proj's logits within a group.</summary>
    public const string QuantizerLogitsStd = "quantizer_logits_std";
    /// <summary><see cref="PretrainingDiagnostics.CodePerplexity"/>: perplexity of the codes actually chosen.</summary>
    public const string CodePerplexity = "code_perplexity";
    /// <summary><see cref="ContrastiveDiagnostics.DistractorsEqual"/>: share of distractors equal to their positive.</summary>
    public const string DistractorsEqual = "distractors_equal";
    /// <summary><see cref="ContrastiveDiagnostics.PositiveCosine"/>: mean cos(c_t, q_t).</summary>
    public const string PositiveCosine = "cosine_positive";
    /// <summary><see cref="ContrastiveDiagnostics.DistractorCosine"/>: mean cos(c_t, q̃).</summary>
    public const string DistractorCosine = "cosine_distractors";
    /// <summary><see cref="ContrastiveDiagnostics.LogitsStd"/>: spread of a frame's contrastive logits.</summary>
    public const string ContrastiveLogitsStd = "contrastive_logits_std";
    /// <summary><see cref="PretrainingDiagnostics.ConvFeaturesRms"/>: RMS of the feature encoder's output.</summary>
    public const string ConvFeaturesRms = "conv_features_rms";
    /// <summary><see cref="PretrainingDiagnostics.ExtractFeaturesRms"/>: RMS of the LayerNormed features (the quantizer's input).</summary>
    public const string ExtractFeaturesRms = "extract_features_rms";
    /// <summary>Prefix of the per-part gradient norms: <c>grad_norm_feature_encoder</c>, <c>grad_norm_quantizer</c>, …</summary>
    public const string GradNormPrefix = "grad_norm_";

    /// <summary><see cref="DevProbeResult.Accuracy"/> (or <see cref="BestRqDevResult.Accuracy"/>): masked-frame accuracy on the fixed dev batch, eval mode.</summary>
    public const string DevAccuracy = "dev_accuracy";
    /// <summary><see cref="DevProbeResult.Contrastive"/>: contrastive loss per masked frame on the dev batch.</summary>
    public const string DevContrastive = "dev_contrastive";
    /// <summary><see cref="DevProbeResult.ChanceAccuracy"/>: 1/(K + 1); BEST-RQ's <see cref="BestRqDevResult.ChanceAccuracy"/>: the commonest code's frequency.</summary>
    public const string DevChanceAccuracy = "dev_chance_accuracy";
    /// <summary><see cref="DevProbeResult.ChanceContrastive"/>: ln(K + 1).</summary>
    public const string DevChanceContrastive = "dev_chance_contrastive";
    /// <summary>
    /// <see cref="DevProbeResult.ContrastiveOverChance"/>: <c>dev_contrastive</c> − <c>dev_chance_contrastive</c>, below 0 as far
    /// as the model tells positives from the distractors left; what a pre-training run's <c>best/</c> is chosen by.
    /// </summary>
    public const string DevContrastiveOverChance = "dev_contrastive_over_chance";
    /// <summary><see cref="DevProbeResult.Perplexity"/>: probability perplexity of the quantizer on the dev batch.</summary>
    public const string DevPerplexity = "dev_perplexity";
    /// <summary><see cref="BestRqDevResult.Loss"/>: BEST-RQ's cross-entropy per masked frame on the dev batch.</summary>
    public const string DevLoss = "dev_loss";
    /// <summary><see cref="BestRqDevResult.CodePerplexity"/>: perplexity of BEST-RQ's target codes at the dev batch's masked frames.</summary>
    public const string DevCodePerplexity = "dev_code_perplexity";
    /// <summary>Prefix of every dev-batch metric; the dev batch's diagnostics are <c>dev_</c> + the names above.</summary>
    public const string DevPrefix = "dev_";

    /// <summary>The metric name of one part's gradient norm (<see cref="GradientNorms"/> part names).</summary>
    public static string GradNorm(string part) => GradNormPrefix + part;
}
