using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>A pre-training model, its optimiser and the fixed batch; <see cref="Step"/> is the trainer's update on them.</summary>
/// <param name="Model">Quantized targets, float32 weights.</param>
/// <param name="Optimizer">AdamW over every parameter.</param>
/// <param name="Batch">Audio <c>[batch, samples]</c>, unpadded.</param>
/// <param name="StepOptions">Masking, objective and temperature from the config.</param>
public sealed record PretrainingFixture(Wav2Vec2ForPreTraining Model, optim.Optimizer Optimizer, Batch Batch, PretrainingStepOptions StepOptions)
    : IDisposable
{
    /// <summary>One <see cref="PretrainingStep.Run"/> on the batch.</summary>
    public UpdateReport Step(long step) => PretrainingStep.Run(Model, Optimizer, [Batch], step, StepOptions);

    /// <summary>Disposes the batch, the optimiser and the model.</summary>
    public void Dispose() => TrainingFixture.Dispose(Batch, Optimizer, Model);
}

/// <summary>A CTC model, its optimiser and the fixed labelled batch; <see cref="Step"/> is the trainer's update on them.</summary>
/// <param name="Model">Feature encoder not frozen, so it trains the same network as pre-training.</param>
/// <param name="Optimizer">AdamW over every parameter.</param>
/// <param name="Batch">Padded audio <c>[batch, samples]</c> with lengths and targets.</param>
/// <param name="StepOptions">The defaults: no masking, no frozen updates.</param>
public sealed record CtcFixture(Wav2Vec2ForCtc Model, optim.Optimizer Optimizer, Batch Batch, CtcStepOptions StepOptions) : IDisposable
{
    /// <summary>One <see cref="CtcStep.Run"/> on the batch.</summary>
    public UpdateReport Step(long step) => CtcStep.Run(Model, Optimizer, [Batch], step, StepOptions);

    /// <summary>Disposes the batch, the optimiser and the model.</summary>
    public void Dispose() => TrainingFixture.Dispose(Batch, Optimizer, Model);
}

/// <summary>
/// What the training sections step on, built the same way for each: a fixed batch of synthetic audio and, per
/// objective, a model initialised from the bench's seed with an AdamW optimiser at lr 1e-5, so that the weights barely
/// move between the timed rounds.
/// </summary>
public static class TrainingFixture
{
    const string Sentence = "the quick brown fox jumps over the lazy dog";

    /// <summary><see cref="BenchOptions.Batch"/> waveforms of <see cref="BenchOptions.BatchSeconds"/> each.</summary>
    public static float[][] Waves(BenchOptions options)
    {
        var samples = (long)(options.BatchSeconds * 16000);
        return [.. Enumerable.Range(0, options.Batch).Select(i => SyntheticAudio.Make(samples, options.Seed + i))];
    }

    /// <summary>The pre-training fixture of <paramref name="config"/> on <paramref name="waves"/>.</summary>
    public static PretrainingFixture Pretraining(Wav2Vec2Config config, float[][] waves, BenchOptions options)
    {
        TorchRuntime.Seed(options.Seed);
        var model = new Wav2Vec2ForPreTraining(config);
        var audio = stack(waves.Select(w => tensor(w)).ToList()).DetachFromDisposeScope();
        var batch = new Batch(audio, [.. waves.Select(w => (long)w.Length)], null, null, [.. waves.Select((_, i) => $"bench-{i}")]);
        return new PretrainingFixture(model, optim.AdamW(model.parameters(), lr: 1e-5), batch,
            PretrainingStepOptions.From(config) with { Seed = options.Seed });
    }

    /// <summary>The CTC fixture of <paramref name="config"/> (English vocabulary) on <paramref name="waves"/>, each labelled with one sentence.</summary>
    public static CtcFixture Ctc(Wav2Vec2Config config, float[][] waves, BenchOptions options)
    {
        TorchRuntime.Seed(options.Seed);
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        var model = new Wav2Vec2ForCtc(config with { VocabSize = tokenizer.Vocabulary.Count });
        return new CtcFixture(model, optim.AdamW(model.parameters(), lr: 1e-5), Training.Labelled(tokenizer, waves, Sentence), new CtcStepOptions());
    }

    internal static void Dispose(Batch batch, optim.Optimizer optimizer, nn.Module model)
    {
        batch.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
