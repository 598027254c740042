namespace Wav2Vec.Experiments;

/// <summary>
/// Metric names the framework reports in <see cref="StepReport.Metrics"/>. Sinks treat names as data; these
/// constants only keep producers and the headline display in agreement.
/// </summary>
public static class MetricNames
{
    /// <summary>Total loss that was back-propagated.</summary>
    public const string Loss = "loss";
    /// <summary>Contrastive term L_m (paper §3.2, eq. 3).</summary>
    public const string Contrastive = "contrastive";
    /// <summary>Codebook diversity term L_d (paper §3.2, eq. 4), before its weight α.</summary>
    public const string Diversity = "diversity";
    /// <summary>L2 penalty on the feature encoder's output (paper §4.2).</summary>
    public const string FeaturePenalty = "feature_penalty";
    /// <summary>Codebook perplexity, averaged over groups (higher = more entries in use).</summary>
    public const string Perplexity = "perplexity";
    /// <summary>Fraction of masked frames whose true quantized target scores highest among the distractors.</summary>
    public const string Accuracy = "accuracy";
    /// <summary>BEST-RQ: exp(entropy) of the target codes' usage at masked frames (how many codebook entries the targets use).</summary>
    public const string CodePerplexity = "code_perplexity";
    /// <summary>BEST-RQ: frequency of the most common target code at masked frames, the accuracy of always guessing it.</summary>
    public const string ChanceAccuracy = "chance_accuracy";
    /// <summary>Gumbel-softmax temperature in force.</summary>
    public const string Temperature = "temperature";
    /// <summary>Global gradient norm before clipping.</summary>
    public const string GradNorm = "grad_norm";
    /// <summary>CTC loss (fine-tuning).</summary>
    public const string Ctc = "ctc";
    /// <summary>Character error rate on the evaluation split.</summary>
    public const string Cer = "cer";
    /// <summary>Word error rate on the evaluation split.</summary>
    public const string Wer = "wer";

    /// <summary>Metrics a one-line progress display shows first, in this order, when a report has them.</summary>
    public static readonly IReadOnlyList<string> Headline = [Loss, Contrastive, Perplexity, Accuracy, Ctc, Cer, Wer];
}
