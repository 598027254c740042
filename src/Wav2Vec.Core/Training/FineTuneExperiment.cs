using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wav2Vec.Training;

/// <summary>
/// A fine-tuning run described in one small JSON file (<c>./wav2vec finetune EXPERIMENT.json</c>). Example:
/// <code>
/// { "pretrained": "runs/pretrain-small/best", "manifest": "data/default/manifests", "train": "train-10min",
///   "dev": "dev", "steps": 2000, "learningRate": 5e-5, "batchSeconds": 40, "freezeTransformerSteps": 500,
///   "evalEvery": 200, "seed": 1, "output": "runs/finetune-10min" }
/// </code>
/// Relative paths are resolved against the JSON file's folder.
/// </summary>
public sealed record FineTuneExperiment
{
    /// <summary>Pre-trained model directory in Hugging Face layout (ours or from the hub; a pre-training or CTC checkpoint).</summary>
    public string Pretrained { get; init; } = "";

    /// <summary>Folder holding the fairseq manifests <c>SPLIT.tsv</c> / <c>.ltr</c> / <c>.wrd</c>.</summary>
    public string Manifest { get; init; } = "";

    /// <summary>Labelled training split.</summary>
    public string Train { get; init; } = "train-10min";

    /// <summary>Dev split for periodic evaluation and best-checkpoint selection (never used for training or the LM).</summary>
    public string Dev { get; init; } = "dev";

    /// <summary>vocab.json to use; null: English letters for <c>en</c>, otherwise built from the training transcripts.</summary>
    public string? Vocab { get; init; }

    /// <summary>Transcript normalisation language (<c>en</c>, <c>cy</c>, …).</summary>
    public string Language { get; init; } = "en";

    /// <summary>Updates.</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Peak learning rate (tri-stage 10/40/50%).</summary>
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>Padded audio seconds per batch.</summary>
    public double BatchSeconds { get; init; } = 40;

    /// <summary>Updates during which only lm_head trains.</summary>
    public int FreezeTransformerSteps { get; init; } = 500;

    /// <summary>Time-mask probability (paper, 10 min: 0.075, span 10).</summary>
    public double MaskTimeProb { get; init; } = 0.075;

    /// <summary>Channel-mask probability (paper: 0.008, span 64).</summary>
    public double MaskChannelProb { get; init; } = 0.008;

    /// <summary>Evaluate on dev every this many updates (and at the end).</summary>
    public int EvalEvery { get; init; } = 200;

    /// <summary>Seed for initialisation, batching and masking.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Output folder: <c>best/</c> (lowest dev WER), <c>last/</c>, <c>metrics.jsonl</c>.</summary>
    public string Output { get; init; } = "runs/finetune";

    /// <summary>Device: auto, cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads an experiment file; unknown fields are an error naming the file, relative paths become absolute.</summary>
    public static FineTuneExperiment Load(string path)
    {
        FineTuneExperiment experiment;
        try { experiment = JsonSerializer.Deserialize<FineTuneExperiment>(File.ReadAllText(path), Json) ?? throw new JsonException("empty file"); }
        catch (JsonException e) { throw new FormatException($"{path}: {e.Message}", e); }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string p) => Path.GetFullPath(Path.Combine(folder, p));
        foreach (var (field, value) in new[] { ("pretrained", experiment.Pretrained), ("manifest", experiment.Manifest) })
            if (string.IsNullOrWhiteSpace(value)) throw new FormatException($"{path}: '{field}' is required.");
        return experiment with
        {
            Pretrained = Resolve(experiment.Pretrained), Manifest = Resolve(experiment.Manifest), Output = Resolve(experiment.Output),
            Vocab = experiment.Vocab is { } v ? Resolve(v) : null,
        };
    }

    /// <summary>Writes the experiment as JSON (kept beside the run's outputs).</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
