using Wav2Vec.Experiments;

namespace Wav2Vec.Interactive;

/// <summary>
/// The same recipe over another number of updates. The learning-rate schedule is already in ratios of the run; the
/// settings counted in steps (checkpoint and evaluation cadence, the transformer freeze) keep their share of the run,
/// at least one step each. The Gumbel temperature decays per update and is left as described.
/// </summary>
public static class ExperimentSteps
{
    /// <summary><paramref name="experiment"/> over <paramref name="steps"/> updates.</summary>
    public static PretrainExperiment WithSteps(this PretrainExperiment experiment, int steps) => experiment with
    {
        Steps = steps,
        Output = Scaled(experiment.Output, experiment.Steps, steps),
    };

    /// <summary><paramref name="experiment"/> over <paramref name="steps"/> updates.</summary>
    public static FinetuneExperiment WithSteps(this FinetuneExperiment experiment, int steps) => experiment with
    {
        Steps = steps,
        FreezeTransformerSteps = Share(experiment.FreezeTransformerSteps, experiment.Steps, steps, floor: 0),
        Output = Scaled(experiment.Output, experiment.Steps, steps),
    };

    static OutputSpec Scaled(OutputSpec output, int from, int to) => output with
    {
        CheckpointEvery = Share(output.CheckpointEvery, from, to, floor: 1),
        EvaluateEvery = Share(output.EvaluateEvery, from, to, floor: output.EvaluateEvery == 0 ? 0 : 1),
    };

    /// <summary><paramref name="count"/> of <paramref name="from"/> steps as the same share of <paramref name="to"/> steps.</summary>
    static int Share(int count, int from, int to, int floor)
    {
        if (to <= 0) throw new ArgumentOutOfRangeException(nameof(to), to, "a run needs at least one step.");
        return from == to ? count : Math.Max(floor, (int)Math.Round((double)count * to / from));
    }
}
