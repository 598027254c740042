using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;
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
    /// <summary>Measures both objectives for <paramref name="config"/>.</summary>
    public static TrainingResult Measure(Wav2Vec2Config config, BenchOptions options)
    {
        var waves = TrainingFixture.Waves(options);
        var audioSeconds = options.Batch * options.BatchSeconds;
        IReadOnlyDictionary<string, Sample> pretraining, ctc;
        using (var fixture = TrainingFixture.Pretraining(config, waves, options))
            pretraining = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step);
        using (var fixture = TrainingFixture.Ctc(config, waves, options))
            ctc = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step);
        return new TrainingResult(new StepTimings(pretraining, audioSeconds), new StepTimings(ctc, audioSeconds), options.Batch, options.BatchSeconds);
    }

    /// <summary>The step's timings by dtype, the dtypes in alternation; the step number counts up over every run.</summary>
    static IReadOnlyDictionary<string, Sample> ByDtype(BenchOptions options, Wav2Vec2Model network, Func<long, UpdateReport> step)
    {
        long next = 0;
        var names = options.DtypeNames;
        var timed = Alternate(options, network, [.. names.Select(d => (d, (Action)(() => step(next++))))]);
        return names.Zip(timed).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>Waveforms padded into one batch, each with <paramref name="transcript"/> encoded, as the fine-tuning data path collates them.</summary>
    public static Batch Labelled(Tokenizer tokenizer, float[][] waves, params string[] transcript)
    {
        var utterances = waves.Select((w, i) => new AudioUtterance(new Utterance($"bench-{i}", "", w.Length, transcript[i % transcript.Length]), w)).ToList();
        return Batch.FromCollated(Collate.Pad(utterances, tokenizer));
    }

    /// <summary>
    /// Times <paramref name="steps"/> in alternating rounds (one warm-up round at most: a training step is long), each
    /// run with the network's compute type switched to its dtype and in a dispose scope of its own.
    /// </summary>
    internal static Sample[] Alternate(BenchOptions options, Wav2Vec2Model network, IReadOnlyList<(string Dtype, Action Step)> steps)
    {
        Action In(string dtype, Action step) => () =>
        {
            network.ComputeType = dtype == "fp32" ? null : Dtypes.Of(dtype);
            using var scope = NewDisposeScope();
            step();
        };
        var timed = Alternation.Measure(Math.Min(options.Warmup, 1), options.TrainingRounds, [.. steps.Select(s => In(s.Dtype, s.Step))]);
        network.ComputeType = null;
        return timed;
    }
}
