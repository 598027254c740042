using System.Text.Json.Serialization;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Experiments;

/// <summary>
/// A self-supervised pre-training experiment (paper §3–4): the shared fields of <see cref="ExperimentDescription"/>
/// plus the network, span masking, Gumbel temperature and loss weights. Its <c>best/</c> model is the checkpoint with
/// the lowest loss on the fixed dev batch (contrastive, or BEST-RQ's cross-entropy; the lowest training loss without a
/// dev split).
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
    /// <summary>
    /// Every this many updates (and at the first) the training batch is also measured with
    /// <see cref="PretrainingDiagnostics"/>: code agreement, logit spreads, cosines, feature scales, gradient norms per
    /// part (0: never). Measuring does not change the run.
    /// </summary>
    public int DiagnosticsEvery { get; init; } = 10;
    /// <summary>
    /// Rows of the fixed dev batch (<see cref="DevProbe"/>) measured every <c>output.evaluateEvery</c> updates and at
    /// the end when <c>corpus.dev</c> is set: crops of <see cref="CropSamples"/> from voices outside the training pool,
    /// the same mask and distractors every time (seed 0, whatever the run's seed), eval mode.
    /// </summary>
    public int DevUtterances { get; init; } = 32;
    /// <summary>
    /// A model folder whose weights start the run instead of a random initialisation (continued pre-training, e.g. on
    /// another language's audio pooled with the first pool): a pre-training run's <c>best/</c> or <c>final/</c>, or a
    /// packed model such as <c>models/tiny-tts-en-10h</c>. The architecture is <see cref="Model"/>'s and must match the
    /// folder's weights tensor for tensor; a CTC model starts with a fresh quantizer and projections, named in the log.
    /// Null: random initialisation. A resumed run continues from its own checkpoint and ignores this field.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>
    /// The objective: wav2vec 2.0's contrastive task (default) or BEST-RQ's masked prediction of random-projection codes
    /// (<see cref="PretrainObjectiveSpec"/>). BEST-RQ ignores the quantizer, negatives, temperature and loss weights.
    /// wav2vec 2.0's ablations of paper Table 5: <c>"targets": "continuous"</c> (no quantizer: the quantizer fields,
    /// temperature and diversity weight are not read) and <c>"gumbelNoise": false</c>.
    /// </summary>
    public PretrainObjectiveSpec Objective { get; init; } = PretrainObjectiveSpec.Default;

    /// <summary>The model config with this experiment's masking written into it (what a checkpoint saves).</summary>
    [JsonIgnore]
    public Wav2Vec2Config ResolvedModel => Model with
    {
        MaskTimeProb = Masking.Prob, MaskTimeLength = Masking.Length, MaskTimeMinMasks = Masking.MinMasks,
    };

    /// <summary>
    /// When <c>corpus.dev</c> is set the dev batch's loss: its contrastive loss against its chance level,
    /// <c>dev_contrastive_over_chance</c> (wav2vec 2.0: a collapsing codebook lowers the loss itself), or its
    /// cross-entropy (BEST-RQ); otherwise the training loss.
    /// </summary>
    [JsonIgnore]
    public override string SelectionMetric =>
        Corpus.Dev is null ? MetricNames.Loss : Objective.IsBestRq ? DiagnosticNames.DevLoss : DiagnosticNames.DevContrastiveOverChance;

    private protected override void CheckOwnFields(string source) => ExperimentValidation.Pretrain(this, source);

    internal override ITrainingTask CreateTask(TaskContext context) => new PretrainingTask(this, context);
}
