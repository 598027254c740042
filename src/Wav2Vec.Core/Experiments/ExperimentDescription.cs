using System.Text.Json.Serialization;

namespace Wav2Vec.Experiments;

/// <summary>
/// What every experiment description has, whatever its objective: one immutable record, written as JSON with a
/// <c>"kind"</c> (<c>pretrain</c> or <c>finetune</c>) and run by <see cref="Experiment.Run"/> through one
/// <see cref="Trainer"/>. Vary a description with <c>with { … }</c>; that works on this base type too.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = ExperimentJson.KindField)]
[JsonDerivedType(typeof(PretrainExperiment), "pretrain")]
[JsonDerivedType(typeof(FinetuneExperiment), "finetune")]
public abstract record ExperimentDescription
{
    /// <summary>Run name: the output folder and the label in logs and charts.</summary>
    [JsonPropertyOrder(-2)]
    public required string Name { get; init; }

    /// <summary>The audio: manifests, splits, length limit, normalisation.</summary>
    [JsonPropertyOrder(-1)]
    public CorpusSpec Corpus { get; init; } = new();

    /// <summary>AdamW, its weight-decay exclusions and the learning-rate schedule.</summary>
    public OptimizerSpec Optimizer { get; init; } = new();

    /// <summary>Optimiser updates.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>
    /// Micro-batches per optimiser update (gradient accumulation): each update back-propagates this many batches of
    /// <see cref="BatchSamples"/>, each loss divided by their number, then clips and steps once; an update's metrics are
    /// the micro-batches' means (counts such as <c>batch_size</c> are summed). 1 (the default) is one batch per update.
    /// </summary>
    public int Accumulate { get; init; } = 1;

    /// <summary>Audio samples per micro-batch (16 kHz): rows × longest row, after cropping in pre-training, padding included in fine-tuning.</summary>
    public int BatchSamples { get; init; } = 16000 * 16;

    /// <summary>Seed of everything random: initialisation, data order, crops, masks, negatives, Gumbel noise (<see cref="Corpus.SeededRandom"/>).</summary>
    public long Seed { get; init; } = 1;

    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>
    /// <c>fp32</c> (the default), <c>bf16</c> (mixed precision: float32 master weights and optimiser state, bf16
    /// compute, losses, softmax and norm statistics in float32) or <c>auto</c> (bf16 where the device computes it fast:
    /// CUDA, or a CPU with AVX512_BF16 or AMX; float32 elsewhere). See <see cref="Torch.Precisions"/>.
    /// </summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>Where to write, how often to checkpoint and evaluate.</summary>
    public OutputSpec Output { get; init; } = new();

    /// <summary>The metric, by its <see cref="MetricNames"/> name, whose lowest value picks the run's <c>best/</c> model.</summary>
    [JsonIgnore]
    public abstract string SelectionMetric { get; }

    /// <summary>Returns this description, or throws an <see cref="ArgumentException"/> naming <paramref name="source"/> and the field at fault.</summary>
    public ExperimentDescription Validate(string source = "experiment")
    {
        ExperimentValidation.Common(this, source);
        CheckOwnFields(source);
        return this;
    }

    /// <summary>Checks the fields of the derived description (the shared ones are already checked).</summary>
    private protected abstract void CheckOwnFields(string source);

    /// <summary>The objective's half of a run: model, collation, step, evaluation and saving, for <see cref="Trainer"/>.</summary>
    internal abstract ITrainingTask CreateTask(TaskContext context);
}
