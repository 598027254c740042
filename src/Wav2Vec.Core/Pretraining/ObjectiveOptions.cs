using Wav2Vec.Model;

namespace Wav2Vec.Pretraining;

/// <summary>
/// Weights and sizes of the pre-training objective L = L_m + α·L_d (+ β·feature penalty), paper §3.3 / §4.2.
/// Hugging Face names: <c>num_negatives</c>, <c>contrastive_logits_temperature</c>, <c>diversity_loss_weight</c>;
/// the feature penalty weight is fairseq's second <c>loss_weights</c> entry (HF has none).
/// </summary>
/// <param name="NumNegatives">K distractors per masked frame (100 in the paper).</param>
/// <param name="Temperature">κ dividing the cosine similarity (0.1).</param>
/// <param name="DiversityWeight">α (0.1).</param>
/// <param name="FeaturePenaltyWeight">β on the mean squared encoder features (10 in fairseq's BASE recipe).</param>
public sealed record ObjectiveOptions(
    int NumNegatives = 100, double Temperature = 0.1, double DiversityWeight = 0.1, double FeaturePenaltyWeight = 10.0)
{
    /// <summary>The paper's BASE objective.</summary>
    public static ObjectiveOptions Default { get; } = new();

    /// <summary>K, κ and α from a model config; β keeps its default (Hugging Face configs have no feature penalty).</summary>
    public static ObjectiveOptions From(Wav2Vec2Config config, double featurePenaltyWeight = 10.0) =>
        new(config.NumNegatives, config.ContrastiveLogitsTemperature, config.DiversityLossWeight, featurePenaltyWeight);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public ObjectiveOptions Validate()
    {
        if (NumNegatives < 1)
            throw new ArgumentException($"ObjectiveOptions.NumNegatives must be at least 1, got {NumNegatives}.", nameof(NumNegatives));
        if (!(Temperature > 0) || !double.IsFinite(Temperature))
            throw new ArgumentException($"ObjectiveOptions.Temperature must be positive, got {Temperature}.", nameof(Temperature));
        if (!(DiversityWeight >= 0) || !double.IsFinite(DiversityWeight))
            throw new ArgumentException($"ObjectiveOptions.DiversityWeight must not be negative, got {DiversityWeight}.", nameof(DiversityWeight));
        if (!(FeaturePenaltyWeight >= 0) || !double.IsFinite(FeaturePenaltyWeight))
            throw new ArgumentException(
                $"ObjectiveOptions.FeaturePenaltyWeight must not be negative, got {FeaturePenaltyWeight}.", nameof(FeaturePenaltyWeight));
        return this;
    }
}
