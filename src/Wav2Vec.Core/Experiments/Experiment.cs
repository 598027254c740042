using System.Text.Json;
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
    /// <summary>Pre-trains as <paramref name="experiment"/> describes (continuing its newest checkpoint when <paramref name="resume"/>).</summary>
    public static IObservable<StepReport> Run(this PretrainExperiment experiment, bool resume = false, CancellationToken stop = default) =>
        Run((object)experiment, resume, stop);

    /// <summary>Fine-tunes as <paramref name="experiment"/> describes (continuing its newest checkpoint when <paramref name="resume"/>).</summary>
    public static IObservable<StepReport> Run(this FinetuneExperiment experiment, bool resume = false, CancellationToken stop = default) =>
        Run((object)experiment, resume, stop);

    /// <summary>Runs a description of either kind (as <see cref="ExperimentJson.Load(string)"/> returns).</summary>
    public static IObservable<StepReport> Run(object description, bool resume = false, CancellationToken stop = default)
    {
        Func<ITrainingSession> start = description switch
        {
            PretrainExperiment p => () => new PretrainSession(p, resume),
            FinetuneExperiment f => () => new FinetuneSession(f, resume),
            _ => throw new ArgumentException($"{description.GetType().Name} is not an experiment description."),
        };
        if (resume) TrimLogsToNewestCheckpoint(Folder(description));
        return TrainingPipeline.Run(start, stop);
    }

    /// <summary>Where a description's run writes.</summary>
    public static RunFolder Folder(object description) => description switch
    {
        PretrainExperiment p => RunFolder.For(p.Output.Folder, p.Name),
        FinetuneExperiment f => RunFolder.For(f.Output.Folder, f.Name),
        _ => throw new ArgumentException($"{description.GetType().Name} is not an experiment description."),
    };

    /// <summary>The run's name.</summary>
    public static string Name(object description) => description switch
    {
        PretrainExperiment p => p.Name,
        FinetuneExperiment f => f.Name,
        _ => throw new ArgumentException($"{description.GetType().Name} is not an experiment description."),
    };

    /// <summary>A copy of the description under another name (and so another run folder).</summary>
    public static object Renamed(object description, string name) => description switch
    {
        PretrainExperiment p => p with { Name = name },
        FinetuneExperiment f => f with { Name = name },
        _ => throw new ArgumentException($"{description.GetType().Name} is not an experiment description."),
    };

    /// <summary>The run's standard logs: <c>metrics.jsonl</c> and <c>metrics.csv</c> in its folder (appended on resume).</summary>
    public static IObservable<StepReport> LogTo(this IObservable<StepReport> reports, RunFolder folder) =>
        reports.LogJsonLines(folder.MetricsJsonl).LogCsv(folder.MetricsCsv);

    /// <summary>
    /// A killed run may have logged steps after its newest checkpoint; resuming repeats them, so those lines go first
    /// and the logs read as one uninterrupted run.
    /// </summary>
    static void TrimLogsToNewestCheckpoint(RunFolder folder)
    {
        var store = new CheckpointStore(folder.Checkpoints, new RetentionPolicy());
        if (store.List().LastOrDefault() is not { } newest) return;
        Trim(folder.MetricsJsonl, line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64(), newest.Step);
        Trim(folder.MetricsCsv, line => long.Parse(line.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), newest.Step, header: true);
    }

    static void Trim(string path, Func<string, long> step, long last, bool header = false)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Where((line, i) => (header && i == 0) || line.Length == 0 || step(line) <= last).ToArray();
        if (kept.Length != lines.Length) AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")));
    }
}
