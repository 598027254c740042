namespace Wav2Vec.Pretraining;

/// <summary>
/// A model measured on the <see cref="DevProbe"/> batch in eval mode. A stuck run keeps <see cref="Accuracy"/> near
/// <see cref="ChanceAccuracy"/> and <see cref="Contrastive"/> near <see cref="ChanceContrastive"/>; a learning run
/// leaves both (at least 5× chance accuracy at a fixed budget counts as learning).
/// </summary>
/// <param name="Accuracy">Share of masked frames whose positive beats every distractor.</param>
/// <param name="Contrastive">Contrastive loss per masked frame (eq. 3 divided by N).</param>
/// <param name="ChanceAccuracy">
/// 1/(K + 1), or with distractors equal to their positive (left out of the task) the mean of 1/(1 + the distractors left)
/// over the masked frames (<see cref="ContrastiveLoss.Chance"/>).
/// </param>
/// <param name="ChanceContrastive">ln(K + 1), the plateau, or the mean of ln(1 + the distractors left).</param>
/// <param name="Perplexity">Probability perplexity of the quantizer over the masked frames (of G·V); NaN with continuous targets.</param>
/// <param name="Diagnostics">The batch's quantizer, contrastive and feature-scale diagnostics (no gradients).</param>
public sealed record DevProbeResult(
    double Accuracy, double Contrastive, double ChanceAccuracy, double ChanceContrastive, double Perplexity, PretrainingDiagnostics Diagnostics)
{
    /// <summary>
    /// <see cref="Contrastive"/> − <see cref="ChanceContrastive"/>: nats per masked frame below the chance level (negative
    /// when the model learned something). A collapsing codebook lowers the contrastive loss by leaving distractors out,
    /// and its chance level with it, so this difference — unlike the loss — does not rank a collapse as progress.
    /// </summary>
    public double ContrastiveOverChance => Contrastive - ChanceContrastive;

    /// <summary>
    /// <c>dev_accuracy</c>, <c>dev_contrastive</c>, <c>dev_chance_accuracy</c>, <c>dev_chance_contrastive</c>,
    /// <c>dev_contrastive_over_chance</c>, <c>dev_perplexity</c> (left out without a quantizer), then the diagnostics as <c>dev_</c> + their <see cref="DiagnosticNames"/>.
    /// </summary>
    public IEnumerable<KeyValuePair<string, double>> ToMetrics() =>
        new KeyValuePair<string, double>[]
        {
            new(DiagnosticNames.DevAccuracy, Accuracy), new(DiagnosticNames.DevContrastive, Contrastive),
            new(DiagnosticNames.DevChanceAccuracy, ChanceAccuracy), new(DiagnosticNames.DevChanceContrastive, ChanceContrastive),
            new(DiagnosticNames.DevContrastiveOverChance, ContrastiveOverChance),
        }
        .Concat(Diagnostics.HasQuantizer ? [new(DiagnosticNames.DevPerplexity, Perplexity)] : [])
        .Concat(Diagnostics.ToMetrics(DiagnosticNames.DevPrefix));
}
