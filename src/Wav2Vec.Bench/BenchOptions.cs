using Wav2Vec.Model;

namespace Wav2Vec.Bench;

/// <summary>The parts of the bench; <see cref="BenchOptions.Sections"/> selects some.</summary>
[Flags]
public enum BenchSections
{
    None = 0,
    /// <summary>Matrix-multiply rate per dtype (the roofline).</summary>
    Roofline = 1,
    /// <summary>Inference forward on <see cref="BenchOptions.InferenceSeconds"/> of audio, ours per dtype and ONNX Runtime, alternating.</summary>
    Inference = 2,
    /// <summary>Explicit vs fused attention per dtype.</summary>
    Attention = 4,
    /// <summary>Pre-training and CTC steps on a fixed batch, float32 vs mixed bf16, alternating.</summary>
    Training = 8,
    /// <summary>The data pipeline (decode, bucket, crop, tensors) on generated WAV files.</summary>
    Data = 16,
    /// <summary>Resident memory over many small training steps.</summary>
    Memory = 32,
    /// <summary>The inference forward pass split into parts (conv blocks, projection, attention, feed-forward, norms, head).</summary>
    Profile = 64,
    /// <summary>The pre-training and CTC steps split into parts (forward by stage, backward, clipping, optimiser), alternating with the whole step.</summary>
    TrainProfile = 128,
    /// <summary>Every section.</summary>
    All = Roofline | Inference | Attention | Training | Data | Memory | Profile | TrainProfile,
}

/// <summary>What <c>./wav2vec bench</c> measures and how often.</summary>
/// <param name="Preset">tiny, small or base: the architecture of the inference and training measurements.</param>
/// <param name="Dtypes">float32 and/or bf16 (bf16 training is mixed precision: float32 master weights).</param>
/// <param name="Threads">libtorch and ONNX Runtime intra-op threads.</param>
/// <param name="Warmup">Untimed rounds before each alternating measurement.</param>
/// <param name="Rounds">Timed rounds of each alternating measurement (the median is reported).</param>
/// <param name="TrainingRounds">Timed rounds of the training steps.</param>
/// <param name="Batch">Utterances in the fixed training batch.</param>
/// <param name="BatchSeconds">Seconds per utterance of the training batch.</param>
/// <param name="InferenceSeconds">Length of the inference utterance.</param>
/// <param name="MemorySteps">Small Tiny training steps over which resident memory growth is measured.</param>
/// <param name="DataFiles">Generated 4-second WAV files the data pipeline reads.</param>
/// <param name="Sections">What to run.</param>
/// <param name="Ort">Compare with ONNX Runtime.</param>
/// <param name="OnnxPath">ONNX file to use; null: cached beside the exported weights, exported when missing.</param>
/// <param name="Python">Python with torch and torchaudio for the export.</param>
/// <param name="CacheFolder">Where the weights and the ONNX file are kept between runs.</param>
/// <param name="Seed">Seed of the weights and the audio.</param>
/// <param name="NoDropout">
/// Every dropout and layer drop of the preset at 0, so that a training step (which draws a random mask for each
/// dropout) can be compared with the preset's own; eval-mode inference is the same either way.
/// </param>
public sealed record BenchOptions(
    string Preset = "base",
    IReadOnlyList<string>? Dtypes = null,
    int Threads = 2,
    int Warmup = 2,
    int Rounds = 9,
    int TrainingRounds = 5,
    int Batch = 8,
    double BatchSeconds = 4,
    double InferenceSeconds = 10,
    int MemorySteps = 1000,
    int DataFiles = 48,
    BenchSections Sections = BenchSections.All,
    bool Ort = true,
    string? OnnxPath = null,
    string Python = "/usr/bin/python3",
    string? CacheFolder = null,
    int Seed = 1,
    bool NoDropout = false)
{
    /// <summary>The dtypes in force, in measurement order.</summary>
    public IReadOnlyList<string> DtypeNames => Dtypes ?? ["fp32", "bf16"];

    /// <summary>The model configuration of <see cref="Preset"/>; an unknown name is an error naming the choices.</summary>
    public Wav2Vec2Config Config => WithoutDropout(Preset switch
    {
        "tiny" => Wav2Vec2Presets.Tiny(),
        "small" => Wav2Vec2Presets.Small(),
        "base" => Wav2Vec2Presets.Base(),
        _ => throw new ArgumentException($"unknown preset '{Preset}': use tiny, small or base"),
    });

    Wav2Vec2Config WithoutDropout(Wav2Vec2Config config) => NoDropout
        ? config with
        {
            HiddenDropout = 0, ActivationDropout = 0, AttentionDropout = 0, FeatProjDropout = 0, FeatQuantizerDropout = 0,
            FinalDropout = 0, LayerDrop = 0,
        }
        : config;

    /// <summary>Smallest useful settings: one round each, a few memory steps (for tests of the bench itself).</summary>
    public BenchOptions Quick() => this with
    {
        Warmup = 0, Rounds = 1, TrainingRounds = 1, Batch = 2, BatchSeconds = 1, InferenceSeconds = 1, MemorySteps = 4, DataFiles = 4,
    };
}
