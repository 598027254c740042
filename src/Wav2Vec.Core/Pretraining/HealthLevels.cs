using Wav2Vec.Model;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The reference levels a pre-training run's health is read against, from K distractors and G codebooks of V entries:
/// chance for the contrastive task, and the go/no-go lines of a fixed-budget run (dev accuracy at least 5× chance,
/// probability perplexity below ½·G·V).
/// </summary>
/// <param name="NumNegatives">K, distractors per masked frame.</param>
/// <param name="Groups">G, codebooks.</param>
/// <param name="Entries">V, entries per codebook.</param>
public sealed record HealthLevels(int NumNegatives, int Groups, int Entries)
{
    /// <summary>K, G and V of a model config (<c>num_negatives</c>, <c>num_codevector_groups</c>, <c>num_codevectors_per_group</c>).</summary>
    public static HealthLevels From(Wav2Vec2Config config) =>
        new(config.NumNegatives, config.NumCodevectorGroups, config.NumCodevectorsPerGroup);

    /// <summary>1/(K + 1): the accuracy of guessing among the positive and K distractors.</summary>
    public double ChanceAccuracy => 1.0 / (NumNegatives + 1);

    /// <summary>ln(K + 1): the contrastive loss per masked frame when c_t is equally similar to every candidate (the plateau).</summary>
    public double ChanceContrastive => Math.Log(NumNegatives + 1);

    /// <summary>5 × <see cref="ChanceAccuracy"/>: the dev accuracy a run must reach to count as learning.</summary>
    public double GoAccuracy => GoAccuracyOverChance * ChanceAccuracy;

    /// <summary>½·G·V: the probability perplexity a learning run falls below (a stuck one stays near G·V).</summary>
    public double GoPerplexity => GoPerplexityShare * Groups * Entries;

    /// <summary>How many times chance the dev accuracy of a learning run reaches.</summary>
    public const double GoAccuracyOverChance = 5;

    /// <summary>The share of G·V the probability perplexity of a learning run falls below.</summary>
    public const double GoPerplexityShare = 0.5;

    /// <summary>
    /// The go/no-go rule of a fixed-budget pre-training run: it learns when its dev accuracy is at least 5× the chance
    /// accuracy and its final probability perplexity is below ½·G·V (a quantizer whose logits stay flat keeps it near G·V).
    /// </summary>
    public static bool Learns(double devAccuracy, double chanceAccuracy, double perplexity, int groups, int entries) =>
        devAccuracy >= GoAccuracyOverChance * chanceAccuracy && perplexity < GoPerplexityShare * groups * entries;

    /// <summary>
    /// <see cref="Learns(double, double, double, int, int)"/> on a set of logged metrics: <c>dev_accuracy</c>,
    /// <c>dev_chance_accuracy</c> and the perplexity named <paramref name="perplexity"/> (the final training one of a
    /// sweep's table, or <c>dev_perplexity</c> of a probe), G and V from <paramref name="config"/>; null when any is missing.
    /// </summary>
    public static bool? Learns(IReadOnlyDictionary<string, double> metrics, string perplexity, Wav2Vec2Config config) =>
        metrics.TryGetValue(DiagnosticNames.DevAccuracy, out var accuracy)
        && metrics.TryGetValue(DiagnosticNames.DevChanceAccuracy, out var chance)
        && metrics.TryGetValue(perplexity, out var value)
            ? Learns(accuracy, chance, value, config.NumCodevectorGroups, config.NumCodevectorsPerGroup)
            : null;

    /// <summary>1/V: the code agreement of uniform quantizer logits.</summary>
    public double UniformAgreement => 1.0 / Entries;
}
