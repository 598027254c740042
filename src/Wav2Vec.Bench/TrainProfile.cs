using Wav2Vec.Model;
using Wav2Vec.Training;

namespace Wav2Vec.Bench;

/// <summary>One training step of one objective in one dtype, split into parts timed in the same rounds as the whole step.</summary>
/// <param name="Parts">The parts in <see cref="StepTiming.Parts"/> order.</param>
/// <param name="WholeMs">The whole step as the training section times it (<see cref="PretrainingStep.Run"/> or <see cref="CtcStep.Run"/>).</param>
/// <param name="SplitMs">
/// The same step run with its <see cref="StepTiming"/> marks recorded, laps included: close to <paramref name="WholeMs"/>.
/// On a loaded machine the sum of the parts' medians falls below it, since a stall lands in one part of a run and the
/// median of each part leaves it out.
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
/// turn, with every round running the whole step once and once more with the step's own <see cref="StepTiming"/>
/// marks recorded (forward by stage, backward, clipping, optimiser), so both meet the same machine load.
/// </summary>
public static class TrainProfiling
{
    /// <summary>Profiles both objectives for <paramref name="config"/>.</summary>
    public static TrainProfileResult Measure(Wav2Vec2Config config, BenchOptions options)
    {
        var waves = TrainingFixture.Waves(options);
        IReadOnlyDictionary<string, StepProfile> pretraining, ctc;
        using (var fixture = TrainingFixture.Pretraining(config, waves, options))
            pretraining = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step);
        using (var fixture = TrainingFixture.Ctc(config, waves, options))
            ctc = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step);
        return new TrainProfileResult(pretraining, ctc, options.Batch, options.BatchSeconds);
    }

    /// <summary>The step and the step with its marks recorded alternating, per dtype; the step number counts up over every run.</summary>
    static IReadOnlyDictionary<string, StepProfile> ByDtype(BenchOptions options, Wav2Vec2Model network, Func<long, UpdateReport> whole)
    {
        long next = 0;
        var names = options.DtypeNames;
        var laps = names.ToDictionary(d => d, _ => new Laps());
        void Parts(Laps lap)
        {
            lap.Start();
            using (StepTiming.Record(lap.Mark)) whole(next++);
            lap.Stop();
        }
        var timed = Training.Alternate(options, network,
            [.. names.SelectMany(d => new (string, Action)[] { (d, () => whole(next++)), (d, () => Parts(laps[d])) })]);
        return names.Select((d, i) => (Dtype: d, Whole: timed[2 * i], Split: timed[2 * i + 1]))
            .ToDictionary(p => p.Dtype, p => new StepProfile(laps[p.Dtype].Samples(StepTiming.Parts, p.Whole.Runs), p.Whole, p.Split));
    }
}
