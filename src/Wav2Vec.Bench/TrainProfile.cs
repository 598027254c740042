using Wav2Vec.Model;
using Wav2Vec.Training;

namespace Wav2Vec.Bench;

/// <summary>One training step of one objective in one dtype, split into parts timed in the same rounds as the whole step.</summary>
/// <param name="Parts">The parts in <see cref="TrainStepParts.All"/> order.</param>
/// <param name="WholeMs">The whole step as the training section times it (<see cref="PretrainingStep.Run"/> or <see cref="CtcStep.Run"/>).</param>
/// <param name="SplitMs">
/// The split step's own wall-clock time, laps included: close to <paramref name="WholeMs"/> when its calls are the
/// step's. On a loaded machine the sum of the parts' medians falls below it, since a stall lands in one part of a run
/// and the median of each part leaves it out.
/// </param>
public sealed record StepProfile(IReadOnlyList<(string Part, Sample Ms)> Parts, Sample WholeMs, Sample SplitMs)
{
    /// <summary>Sum of the parts' medians: close to the whole step's when the parts cover it.</summary>
    public double SumMs => Parts.Sum(p => p.Ms.Median);

    /// <summary>The median of <paramref name="part"/> as a fraction of the whole step's median.</summary>
    public double ShareOfStep(Sample part) => part.Median / WholeMs.Median;
}

/// <summary>What <see cref="TrainProfiling.Measure"/> returns: each objective's step profile by dtype.</summary>
/// <param name="Pretraining">Pre-training step profiles by dtype (bf16 = mixed precision).</param>
/// <param name="Ctc">CTC step profiles by dtype.</param>
/// <param name="Batch">Utterances in the fixed batch.</param>
/// <param name="BatchSeconds">Seconds per utterance.</param>
public sealed record TrainProfileResult(
    IReadOnlyDictionary<string, StepProfile> Pretraining, IReadOnlyDictionary<string, StepProfile> Ctc, int Batch, double BatchSeconds);

/// <summary>
/// Where a training step's time goes: the training section's two steps on its fixed batch and models, each dtype in
/// turn, with every round running the whole step once and once more as its calls split into
/// <see cref="TrainStepParts"/> (forward by stage, backward, clipping, optimiser), so both meet the same machine load.
/// </summary>
public static class TrainProfiling
{
    /// <summary>Profiles both objectives for <paramref name="config"/>.</summary>
    public static TrainProfileResult Measure(Wav2Vec2Config config, BenchOptions options)
    {
        var waves = TrainingFixture.Waves(options);
        IReadOnlyDictionary<string, StepProfile> pretraining, ctc;
        using (var fixture = TrainingFixture.Pretraining(config, waves, options))
            pretraining = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step, (step, laps) => TimedStep.Pretraining(fixture, step, laps));
        using (var fixture = TrainingFixture.Ctc(config, waves, options))
            ctc = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step, (_, laps) => TimedStep.Ctc(fixture, laps));
        return new TrainProfileResult(pretraining, ctc, options.Batch, options.BatchSeconds);
    }

    /// <summary>The whole step and its timed parts alternating, per dtype; the step number counts up over every run.</summary>
    static IReadOnlyDictionary<string, StepProfile> ByDtype(BenchOptions options, Wav2Vec2Model network, Func<long, UpdateReport> whole,
        Action<long, Laps> parts)
    {
        long next = 0;
        var names = options.DtypeNames;
        var laps = names.ToDictionary(d => d, _ => new Laps());
        var timed = Training.Alternate(options, network,
            [.. names.SelectMany(d => new (string, Action)[] { (d, () => whole(next++)), (d, () => parts(next++, laps[d])) })]);
        return names.Select((d, i) => (Dtype: d, Whole: timed[2 * i], Split: timed[2 * i + 1]))
            .ToDictionary(p => p.Dtype, p => new StepProfile(laps[p.Dtype].Samples(TrainStepParts.All, p.Whole.Runs), p.Whole, p.Split));
    }
}
