using Wav2Vec.Model;
using Wav2Vec.Training;

namespace Wav2Vec.Bench;

/// <summary>One training step of one objective in one dtype, split into parts timed in the same rounds as the whole step.</summary>
/// <param name="Parts">The parts in <see cref="StepTiming.Parts"/> order.</param>
/// <param name="Flops">The matrix products of each part, in the same order (<see cref="TrainingFlops.Step"/>).</param>
/// <param name="WholeMs">The whole step as the training section times it (<see cref="PretrainingStep.Run"/> or <see cref="CtcStep.Run"/>).</param>
/// <param name="SplitMs">
/// The same step run with its <see cref="StepTiming"/> marks recorded, laps included: close to <paramref name="WholeMs"/>.
/// On a loaded machine the sum of the parts' medians falls below it, since a stall lands in one part of a run and the
/// median of each part leaves it out.
/// </param>
public sealed record StepProfile(IReadOnlyList<(string Part, Sample Ms)> Parts, IReadOnlyList<PartFlops> Flops, Sample WholeMs, Sample SplitMs)
{
    /// <summary>Sum of the parts' medians: close to the whole step's when the parts cover it.</summary>
    public double SumMs => Parts.Sum(p => p.Ms.Median);

    /// <summary>The median of <paramref name="part"/> as a fraction of the whole step's median.</summary>
    public double ShareOfStep(Sample part) => part.Median / WholeMs.Median;

    /// <summary>
    /// The whole step's products at libtorch's matmul rates (GFLOP/s; the network's at <paramref name="networkRate"/>,
    /// the float32 heads' at <paramref name="float32Rate"/>), in ms: the step's floor. The rest of the step is
    /// element-wise work, memory traffic and overhead.
    /// </summary>
    public double FloorMs(double networkRate, double float32Rate) => Flops.Sum(f => f.FloorMs(networkRate, float32Rate));
}

/// <summary>How a training step's bf16 speed-up over float32 splits between its matrix products and the rest.</summary>
/// <param name="Whole">Float32 step over bf16 step (medians).</param>
/// <param name="Products">The step's products at float32's matmul rate over the same at bf16's (heads float32 in both).</param>
/// <param name="Rest">Float32's time above its products' floor over bf16's: element-wise work, memory traffic, overhead.</param>
/// <param name="RestMsForTarget">The most time above the floor a bf16 step may take to be 2.5× faster than float32.</param>
public sealed record SpeedupSplit(double Whole, double Products, double Rest, double RestMsForTarget);

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
            pretraining = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step, TrainingFlops.Step(config, true, options.Batch, Samples(options)));
        using (var fixture = TrainingFixture.Ctc(config, waves, options))
            ctc = ByDtype(options, fixture.Model.Wav2Vec2, fixture.Step, TrainingFlops.Step(config, false, options.Batch, Samples(options)));
        return new TrainProfileResult(pretraining, ctc, options.Batch, options.BatchSeconds);
    }

    /// <summary>The step and the step with its marks recorded alternating, per dtype; the step number counts up over every run.</summary>
    static long Samples(BenchOptions options) => (long)(options.BatchSeconds * 16000);

    static IReadOnlyDictionary<string, StepProfile> ByDtype(
        BenchOptions options, Wav2Vec2Model network, Func<long, UpdateReport> whole, IReadOnlyList<PartFlops> flops)
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
            .ToDictionary(p => p.Dtype, p => new StepProfile(laps[p.Dtype].Samples(StepTiming.Parts, p.Whole.Runs), flops, p.Whole, p.Split));
    }
}
