using Wav2Vec.Masking;

namespace Wav2Vec.Training;

/// <summary>
/// How the CTC fine-tuning step trains: one small record, as nanoGPT's configuration (paper §4 defaults where
/// they apply to small data). Vary it with <c>with { … }</c>.
/// </summary>
/// <param name="Steps">Number of updates.</param>
/// <param name="LearningRate">Peak learning rate of the tri-stage schedule (Adam).</param>
/// <param name="FreezeTransformerSteps">Updates during which only <c>lm_head</c> trains (paper: 10k for the 10 min/1 h splits).</param>
/// <param name="FreezeFeatureEncoder">Keep the convolutional feature encoder fixed (paper: always, when fine-tuning).</param>
/// <param name="TimeMasking">Span masking over frames with the learned mask embedding (paper: p = 0.075, M = 10 for 10 min).</param>
/// <param name="ChannelMasking">Span masking over channels, zeroed (paper: p = 0.008, M = 64).</param>
/// <param name="ClipNorm">Maximum global gradient L2 norm; 0 disables clipping.</param>
/// <param name="LossReduction"><c>sum</c> (fairseq) or <c>mean</c> (per-utterance loss / target length, averaged).</param>
/// <param name="Schedule">Tri-stage ratios (peak and total are taken from the fields above).</param>
/// <param name="Seed">Seeds masking and shuffling.</param>
/// <param name="CacheFeatures">While the feature encoder is frozen, keep its output per utterance (<see cref="FeatureCache"/>).</param>
public sealed record FineTuneSettings(
    int Steps = 1000,
    double LearningRate = 5e-5,
    int FreezeTransformerSteps = 0,
    bool FreezeFeatureEncoder = true,
    MaskingOptions? TimeMasking = null,
    MaskingOptions? ChannelMasking = null,
    double ClipNorm = 1.0,
    string LossReduction = "sum",
    TriStageSchedule? Schedule = null,
    long Seed = 1,
    bool CacheFeatures = true)
{
    /// <summary>The paper's masking for the 10-minute split.</summary>
    public static MaskingOptions PaperTimeMasking { get; } = new(0.075, 10, MinMasks: 2);

    /// <summary>The paper's channel masking.</summary>
    public static MaskingOptions PaperChannelMasking { get; } = new(0.008, 64);

    /// <summary>The learning-rate schedule in force.</summary>
    public TriStageSchedule LearningRates => (Schedule ?? new TriStageSchedule(LearningRate, Steps)) with { Peak = LearningRate, TotalSteps = Steps };
}
