using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// Runs experiment descriptions. <c>Run</c> is cold: nothing happens until a subscription, each subscription is one
/// run, and disposing it stops the run at the next step and leaves a checkpoint.
/// <code>
/// await experiment.Run().LogTo(Experiment.Folder(experiment)).ShowProgress().LastAsync();
/// </code>
/// </summary>
public static class Experiment
{
    /// <summary>
    /// Trains as <paramref name="experiment"/> describes, pre-training or fine-tuning alike (one <see cref="Trainer"/>),
    /// continuing its newest checkpoint when <paramref name="resume"/>. <paramref name="stop"/> ends the run gracefully
    /// at the next update; <paramref name="log"/> receives what the run has to tell besides metrics (what a checkpoint
    /// load kept and replaced, a corpus being synthesised); the console when null.
    /// </summary>
    public static IObservable<StepReport> Run(this ExperimentDescription experiment, bool resume = false, CancellationToken stop = default,
        Action<string>? log = null) =>
        TrainingPipeline.Run(() => new Trainer(experiment, resume, log), stop);

    /// <summary>Where a description's run writes.</summary>
    public static RunFolder Folder(ExperimentDescription description) => RunFolder.For(description.Output.Folder, description.Name);

    /// <summary>The run's standard logs: <c>metrics.jsonl</c> and <c>metrics.csv</c> in its folder (appended on resume).</summary>
    public static IObservable<StepReport> LogTo(this IObservable<StepReport> reports, RunFolder folder) =>
        reports.LogJsonLines(folder.MetricsJsonl).LogCsv(folder.MetricsCsv);
}
