using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>Step timings of one objective per dtype on the fixed batch.</summary>
/// <param name="Steps">Timings by dtype name (bf16 = mixed precision: float32 master weights, bf16 compute).</param>
/// <param name="AudioSeconds">Seconds of audio in the batch.</param>
public sealed record StepTimings(IReadOnlyDictionary<string, Sample> Steps, double AudioSeconds)
{
    /// <summary>Seconds of audio trained on per second of wall-clock time.</summary>
    public double AudioPerSecond(string dtype) => AudioSeconds / (Steps[dtype].Median / 1000);

    /// <summary>float32 step time / bf16 step time (null unless both were measured).</summary>
    public double? Bf16Speedup => Steps.TryGetValue("fp32", out var f) && Steps.TryGetValue("bf16", out var b) ? f.Median / b.Median : null;
}

/// <summary>What <see cref="Training.Measure"/> returns: a pre-training and a CTC step (whole network trained in both).</summary>
public sealed record TrainingResult(StepTimings Pretraining, StepTimings Ctc, int Batch, double BatchSeconds);

/// <summary>
/// One pre-training step (<see cref="PretrainingStep.Run"/>) and one CTC fine-tuning step (<see cref="CtcStep.Run"/>,
/// feature encoder trained too, so both train the same network) on a fixed batch, each dtype in alternation on the
/// same model: float32, and bf16 as mixed precision (<see cref="Wav2Vec2Model.ComputeType"/>).
/// </summary>
public static class Training
{
    const string Sentence = "the quick brown fox jumps over the lazy dog";

    /// <summary>Measures both objectives for <paramref name="config"/>.</summary>
    public static TrainingResult Measure(Wav2Vec2Config config, BenchOptions options)
    {
        var samples = (long)(options.BatchSeconds * 16000);
        var waves = Enumerable.Range(0, options.Batch).Select(i => SyntheticAudio.Make(samples, options.Seed + i)).ToArray();
        var audioSeconds = options.Batch * options.BatchSeconds;
        return new TrainingResult(
            new StepTimings(Pretraining(config, waves, options), audioSeconds),
            new StepTimings(Ctc(config, waves, options), audioSeconds), options.Batch, options.BatchSeconds);
    }

    static IReadOnlyDictionary<string, Sample> Pretraining(Wav2Vec2Config config, float[][] waves, BenchOptions options)
    {
        TorchRuntime.Seed(options.Seed);
        using var model = new Wav2Vec2ForPreTraining(config);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-5);
        using var audio = stack(waves.Select(w => tensor(w)).ToList());
        var stepOptions = PretrainingStepOptions.From(config) with { Seed = options.Seed };
        var batch = new Batch(audio, [.. waves.Select(w => (long)w.Length)], null, null, [.. waves.Select((_, i) => $"bench-{i}")]);
        long step = 0;
        return Alternate(options, model.Wav2Vec2, () => PretrainingStep.Run(model, optimizer, [batch], step++, stepOptions));
    }

    static IReadOnlyDictionary<string, Sample> Ctc(Wav2Vec2Config config, float[][] waves, BenchOptions options)
    {
        TorchRuntime.Seed(options.Seed);
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        using var model = new Wav2Vec2ForCtc(config with { VocabSize = tokenizer.Vocabulary.Count });
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-5);
        using var batch = Labelled(tokenizer, waves, Sentence);
        long step = 0;
        return Alternate(options, model.Wav2Vec2, () => CtcStep.Run(model, optimizer, [batch], step++, new CtcStepOptions()));
    }

    /// <summary>Waveforms padded into one batch, each with <paramref name="transcript"/> encoded, as the fine-tuning data path collates them.</summary>
    public static Batch Labelled(Tokenizer tokenizer, float[][] waves, params string[] transcript)
    {
        var utterances = waves.Select((w, i) => new AudioUtterance(new Utterance($"bench-{i}", "", w.Length, transcript[i % transcript.Length]), w)).ToList();
        return Batch.FromCollated(Collate.Pad(utterances, tokenizer));
    }

    /// <summary>Alternates the step in each dtype (switching the network's compute type) and returns the timings by dtype.</summary>
    static IReadOnlyDictionary<string, Sample> Alternate(BenchOptions options, Wav2Vec2Model network, Action step)
    {
        var names = options.DtypeNames;
        Action In(string dtype) => () =>
        {
            network.ComputeType = dtype == "fp32" ? null : Dtypes.Of(dtype);
            using var scope = NewDisposeScope();
            step();
        };
        var timed = Alternation.Measure(Math.Min(options.Warmup, 1), options.TrainingRounds, [.. names.Select(In)]);
        network.ComputeType = null;
        return names.Zip(timed).ToDictionary(p => p.First, p => p.Second);
    }
}
