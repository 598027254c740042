using Wav2Vec.Model;

namespace Wav2Vec.Masking;

/// <summary>
/// How spans are masked along one axis (time for pre-training, channels for fine-tuning), with the meaning of
/// fairseq's <c>compute_mask_indices</c> arguments: each span covers <see cref="Length"/> consecutive positions and
/// an utterance of valid length L gets max(<see cref="MinMasks"/>, ⌊<see cref="Prob"/>·L/<see cref="Length"/> + U[0,1)⌋)
/// span starts. Hugging Face names: <c>mask_time_prob</c> / <c>mask_time_length</c> / <c>mask_time_min_masks</c>
/// (and the <c>mask_feature_*</c> triple for channels).
/// </summary>
/// <param name="Prob">Expected fraction of positions that start a span, times <see cref="Length"/>; 0 masks nothing.</param>
/// <param name="Length">Positions per span (M); the paper uses 10 frames.</param>
/// <param name="MinMasks">Lower bound on the number of spans per utterance (still capped by what fits).</param>
/// <param name="RequireSameMasks">
/// fairseq's <c>require_same_masks</c>: after sampling, every utterance keeps a random subset of its masked positions
/// so that all have as many as the utterance with the fewest.
/// </param>
public sealed record MaskingOptions(double Prob, int Length, int MinMasks = 0, bool RequireSameMasks = false)
{
    /// <summary>The paper's pre-training setting (§4.2): p = 0.65, M = 10, about 49% of frames masked.</summary>
    public static MaskingOptions PretrainingDefault { get; } = new(0.65, 10, MinMasks: 2);

    /// <summary>Time masking from a model config (<c>mask_time_prob</c>, <c>mask_time_length</c>, <c>mask_time_min_masks</c>).</summary>
    public static MaskingOptions TimeFrom(Wav2Vec2Config config) =>
        new(config.MaskTimeProb, config.MaskTimeLength, config.MaskTimeMinMasks);

    /// <summary>Channel masking from a model config (<c>mask_feature_prob</c>, <c>mask_feature_length</c>, <c>mask_feature_min_masks</c>).</summary>
    public static MaskingOptions ChannelsFrom(Wav2Vec2Config config) =>
        new(config.MaskFeatureProb, config.MaskFeatureLength, config.MaskFeatureMinMasks);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public MaskingOptions Validate()
    {
        if (!double.IsFinite(Prob) || Prob < 0 || Prob > 1)
            throw new ArgumentException($"MaskingOptions.Prob must be in [0, 1], got {Prob}.", nameof(Prob));
        if (Length < 1)
            throw new ArgumentException($"MaskingOptions.Length must be at least 1, got {Length}.", nameof(Length));
        if (MinMasks < 0)
            throw new ArgumentException($"MaskingOptions.MinMasks must not be negative, got {MinMasks}.", nameof(MinMasks));
        return this;
    }
}
