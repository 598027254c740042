using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>What a task gets from the <see cref="Trainer"/> that starts it.</summary>
/// <param name="ResumeFrom">The checkpoint to continue from (its model is loaded instead of a fresh one), or null.</param>
/// <param name="Device">Where the model and the batches live.</param>
/// <param name="Log">Messages for the user besides metrics (what a checkpoint load kept and replaced).</param>
/// <param name="Usable">
/// Checks an evaluation split before training (split name, its manifest, the decoding its evaluation uses) and returns
/// the manifest without the files the corpus's <see cref="CorpusSpec.BadAudio"/> policy skips (<see cref="SplitCheck"/>).
/// </param>
internal sealed record TaskContext(string? ResumeFrom, torch.Device Device, Action<string> Log, Func<string, Manifest, DecodeOptions, Manifest> Usable);

/// <summary>
/// The objective's half of a run, everything the one <see cref="Trainer"/> skeleton cannot know about pre-training or
/// fine-tuning (fairseq calls it a task): the model, the training split and how its batches are collated, the step
/// function, dev evaluation, and how a model directory is written.
/// </summary>
internal interface ITrainingTask : IDisposable
{
    /// <summary>Which phase the reports belong to.</summary>
    Phase Phase { get; }

    /// <summary>The model being trained (on <see cref="TaskContext.Device"/>, fresh or loaded from the checkpoint).</summary>
    torch.nn.Module Model { get; }

    /// <summary>Parameter-name patterns spared weight decay when the description's <see cref="OptimizerSpec.NoDecay"/> is null.</summary>
    IEnumerable<string> DefaultNoDecay { get; }

    /// <summary>The training split.</summary>
    Manifest Train { get; }

    /// <summary>Samples of one encoder frame (400 for wav2vec 2.0): shorter audio gives no frame and is bad input.</summary>
    int ReceptiveField { get; }

    /// <summary>The length an utterance counts for in <see cref="UtteranceOperators.BatchBySize"/> (pre-training: after cropping).</summary>
    Func<AudioUtterance, int>? BatchLength { get; }

    /// <summary>Collation, the objective-specific stage of the data path: crop to the shortest, or pad with labels.</summary>
    IObservable<CollatedBatch> Collate(IObservable<IReadOnlyList<AudioUtterance>> batches, long seed);

    /// <summary>One update (<see cref="PretrainingStep.Run"/> or <see cref="CtcStep.Run"/>) of the model on its micro-batches.</summary>
    UpdateReport Step(torch.optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step);

    /// <summary>True when the task has a dev split to evaluate.</summary>
    bool Evaluates { get; }

    /// <summary>Dev metrics of the model as it is now (e.g. <c>cer</c>, <c>wer</c>).</summary>
    IReadOnlyList<KeyValuePair<string, double>> Evaluate();

    /// <summary>Writes the model as a Hugging Face directory (config, weights, preprocessor config and, for CTC, vocab.json).</summary>
    void Save(string directory);
}
