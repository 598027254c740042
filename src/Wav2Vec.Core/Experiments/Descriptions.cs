using System.Text.Json.Serialization;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Experiments;

/// <summary>Where the audio comes from: a folder of fairseq manifests (<c>SPLIT.tsv</c>, <c>SPLIT.ltr</c>).</summary>
/// <param name="Folder">Folder holding the manifests.</param>
/// <param name="Train">Training split (<c>train</c> for pre-training, <c>train-10min</c>… for fine-tuning).</param>
/// <param name="Dev">Split for periodic evaluation, or null.</param>
/// <param name="Test">Split for the final evaluation, or null.</param>
/// <param name="SynthesizeHours">When the manifests are missing: hours of the default TTS corpus to create (0: fail instead).</param>
/// <param name="MaxSeconds">Utterances longer than this are skipped (counted and reported).</param>
public sealed record CorpusSpec(
    string Folder = "data/tts-en",
    string Train = "train",
    string? Dev = "dev",
    string? Test = "test",
    double SynthesizeHours = 0,
    double MaxSeconds = 20);

/// <summary>AdamW and the tri-stage learning-rate schedule (warm-up, hold, decay; ratios of the total steps).</summary>
public sealed record OptimizerSpec(
    double LearningRate = 5e-4,
    double WeightDecay = 0.01,
    double Beta1 = 0.9,
    double Beta2 = 0.98,
    double Epsilon = 1e-6,
    double ClipNorm = 10.0,
    double WarmupRatio = 0.08,
    double HoldRatio = 0.0,
    double DecayRatio = 0.92,
    double FinalScale = 0.05);

/// <summary>Where a run writes, and how often it checkpoints and evaluates.</summary>
/// <param name="Folder">Parent folder; the run writes into <c>Folder/Name</c>.</param>
/// <param name="CheckpointEvery">Steps between checkpoints (the last step always gets one).</param>
/// <param name="KeepLast">Checkpoints kept besides the best.</param>
/// <param name="EvaluateEvery">Steps between dev evaluations (0: only at the end).</param>
public sealed record OutputSpec(string Folder = "runs", int CheckpointEvery = 100, int KeepLast = 2, int EvaluateEvery = 0);

/// <summary>A self-supervised pre-training experiment (paper §3–4): one immutable description, run by <see cref="TrainingPipeline"/>.</summary>
public sealed record PretrainExperiment
{
    /// <summary>Run name: the output folder and the label in logs and charts.</summary>
    public required string Name { get; init; }
    /// <summary>Unlabelled audio.</summary>
    public CorpusSpec Corpus { get; init; } = new();
    /// <summary>Network, quantizer (G, V), negatives and loss weights in Hugging Face field names.</summary>
    [JsonConverter(typeof(ModelConfigJson))]
    public Wav2Vec2Config Model { get; init; } = Wav2Vec2Presets.Tiny();
    /// <summary>Span masking over time (written into the config's <c>mask_time_*</c>).</summary>
    public MaskingOptions Masking { get; init; } = MaskingOptions.PretrainingDefault;
    /// <summary>Gumbel temperature schedule τ = max(Start·Decay^step, Min) (paper §3.2).</summary>
    public GumbelTemperatureSchedule Temperature { get; init; } = GumbelTemperatureSchedule.Default;
    /// <summary>Loss weights that Hugging Face's config lacks: the feature penalty (fairseq BASE: 10).</summary>
    public double FeaturePenaltyWeight { get; init; } = 10.0;
    /// <summary>AdamW and learning-rate schedule.</summary>
    public OptimizerSpec Optimizer { get; init; } = new();
    /// <summary>Optimiser updates.</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Audio samples per batch (16 kHz), after cropping.</summary>
    public int BatchSamples { get; init; } = 16000 * 16;
    /// <summary>Longest crop of one utterance (fairseq's max_sample_size).</summary>
    public int CropSamples { get; init; } = 16000 * 4;
    /// <summary>Seed for initialisation, data order, masks, negatives and crops.</summary>
    public long Seed { get; init; } = 1;
    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Where to write and how often.</summary>
    public OutputSpec Output { get; init; } = new();

    /// <summary>The model config with this experiment's masking written into it (what a checkpoint saves).</summary>
    [JsonIgnore]
    public Wav2Vec2Config ResolvedModel => Model with
    {
        MaskTimeProb = Masking.Prob, MaskTimeLength = Masking.Length, MaskTimeMinMasks = Masking.MinMasks,
    };
}

/// <summary>A CTC fine-tuning experiment (paper §4.3) on a labelled split.</summary>
public sealed record FinetuneExperiment
{
    /// <summary>Run name.</summary>
    public required string Name { get; init; }
    /// <summary>Labelled audio; <see cref="CorpusSpec.Train"/> picks the label budget (<c>train-10min</c>, <c>train-1h</c>, …).</summary>
    public CorpusSpec Corpus { get; init; } = new() { Train = "train-10min" };
    /// <summary>A Hugging Face directory (ours or the hub's) holding a pre-trained or CTC model.</summary>
    public required string Pretrained { get; init; }
    /// <summary><c>english</c> (the 32-token letter vocabulary), a path to a <c>vocab.json</c>, or <c>corpus</c> (built from the training transcripts).</summary>
    public string Vocabulary { get; init; } = "english";
    /// <summary>Transcript normalisation: <c>en</c>, or another language whose script letters are kept.</summary>
    public string Language { get; init; } = "en";
    /// <summary>Time masking during fine-tuning.</summary>
    public MaskingOptions TimeMasking { get; init; } = new(0.05, 10, MinMasks: 2);
    /// <summary>Channel masking during fine-tuning.</summary>
    public MaskingOptions ChannelMasking { get; init; } = new(0.0, 64);
    /// <summary>AdamW and the tri-stage schedule (the paper: 10% warm-up, 40% hold, 50% decay).</summary>
    public OptimizerSpec Optimizer { get; init; } = new() { LearningRate = 5e-5, WarmupRatio = 0.1, HoldRatio = 0.4, DecayRatio = 0.5, Beta2 = 0.98 };
    /// <summary>Optimiser updates.</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Updates during which only <c>lm_head</c> trains.</summary>
    public int FreezeTransformerSteps { get; init; } = 100;
    /// <summary>
    /// CTC loss reduction: <c>sum</c> (fairseq; Hugging Face's default) or <c>mean</c> (each utterance's loss divided
    /// by its target length, averaged); null takes the checkpoint's <c>ctc_loss_reduction</c>.
    /// </summary>
    public string? LossReduction { get; init; }
    /// <summary>Keep the CNN feature encoder frozen throughout (the paper does).</summary>
    public bool FreezeFeatureEncoder { get; init; } = true;
    /// <summary>
    /// While the feature encoder is frozen, keep its output per utterance in memory (up to 2 GiB) so later epochs
    /// skip the CNN (Tiny quickstart: 0.30 → 0.17 s per 16 s-batch update on 2 threads). Each utterance is encoded alone, without padding.
    /// </summary>
    public bool CacheFeatures { get; init; } = true;
    /// <summary>Audio samples per batch (16 kHz), padding included.</summary>
    public int BatchSamples { get; init; } = 16000 * 16;
    /// <summary>Seed for the new head, data order and masks.</summary>
    public long Seed { get; init; } = 1;
    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>
    /// The dev metric that picks the best checkpoint, by its <see cref="MetricNames"/> name: <c>wer</c> (the paper) or
    /// <c>cer</c> (finer-grained while the model still gets most words wrong, as after minutes of training).
    /// </summary>
    public string BestBy { get; init; } = "wer";
    /// <summary>Where to write and how often; the best checkpoint is chosen by <see cref="BestBy"/> on dev.</summary>
    public OutputSpec Output { get; init; } = new();
}
