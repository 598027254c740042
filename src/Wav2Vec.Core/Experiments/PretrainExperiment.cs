using System.Text.Json.Serialization;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Experiments;

/// <summary>
/// A self-supervised pre-training experiment (paper §3–4): the shared fields of <see cref="ExperimentDescription"/>
/// plus the network, span masking, Gumbel temperature and loss weights. Its <c>best/</c> model is the checkpoint with
/// the lowest training loss.
/// </summary>
public sealed record PretrainExperiment : ExperimentDescription
{
    /// <summary>Network, quantizer (G, V), negatives and loss weights in Hugging Face field names.</summary>
    [JsonConverter(typeof(ModelConfigJson))]
    public Wav2Vec2Config Model { get; init; } = Wav2Vec2Presets.Tiny();
    /// <summary>Span masking over time (written into the config's <c>mask_time_*</c>).</summary>
    public MaskingOptions Masking { get; init; } = MaskingOptions.PretrainingDefault;
    /// <summary>Gumbel temperature schedule τ = max(Start·Decay^step, Min) (paper §3.2).</summary>
    public GumbelTemperatureSchedule Temperature { get; init; } = GumbelTemperatureSchedule.Default;
    /// <summary>Loss weights that Hugging Face's config lacks: the feature penalty (fairseq BASE: 10).</summary>
    public double FeaturePenaltyWeight { get; init; } = 10.0;
    /// <summary>Longest crop of one utterance (fairseq's max_sample_size).</summary>
    public int CropSamples { get; init; } = 16000 * 4;

    /// <summary>The model config with this experiment's masking written into it (what a checkpoint saves).</summary>
    [JsonIgnore]
    public Wav2Vec2Config ResolvedModel => Model with
    {
        MaskTimeProb = Masking.Prob, MaskTimeLength = Masking.Length, MaskTimeMinMasks = Masking.MinMasks,
    };

    /// <inheritdoc />
    [JsonIgnore]
    public override string SelectionMetric => MetricNames.Loss;

    private protected override void CheckOwnFields(string source) => ExperimentValidation.Pretrain(this, source);

    internal override ITrainingTask CreateTask(TaskContext context) => new PretrainingTask(this, context);
}
