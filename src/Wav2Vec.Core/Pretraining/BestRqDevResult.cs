namespace Wav2Vec.Pretraining;

/// <summary>
/// A BEST-RQ model measured on the <see cref="DevProbe"/> batch in eval mode. A stuck run keeps
/// <see cref="Accuracy"/> at <see cref="ChanceAccuracy"/>; a learning run leaves it.
/// </summary>
/// <param name="Accuracy">Share of masked frames whose target code the head ranks first.</param>
/// <param name="Loss">Cross-entropy per masked frame (what <c>best/</c> is chosen by when the corpus has a dev split).</param>
/// <param name="CodePerplexity">exp(entropy) of the target codes' usage at the masked frames.</param>
/// <param name="ChanceAccuracy">Frequency of the commonest target code at the masked frames: the accuracy of always guessing it.</param>
public sealed record BestRqDevResult(double Accuracy, double Loss, double CodePerplexity, double ChanceAccuracy)
{
    /// <summary><c>dev_accuracy</c>, <c>dev_loss</c>, <c>dev_code_perplexity</c>, <c>dev_chance_accuracy</c>.</summary>
    public IEnumerable<KeyValuePair<string, double>> ToMetrics() =>
    [
        new(DiagnosticNames.DevAccuracy, Accuracy), new(DiagnosticNames.DevLoss, Loss),
        new(DiagnosticNames.DevCodePerplexity, CodePerplexity), new(DiagnosticNames.DevChanceAccuracy, ChanceAccuracy),
    ];
}
