using System.Collections.Immutable;

namespace Wav2Vec.Experiments;

/// <summary>
/// What a run finds when it starts: its folder (with the description saved in it), its checkpoint store (keeping
/// the best by the description's selection metric), and the newest checkpoint when it resumes.
/// </summary>
/// <param name="Folder">The run's folder.</param>
/// <param name="Store">Its checkpoints.</param>
/// <param name="Latest">The newest complete checkpoint to resume from, or null for a fresh start.</param>
public sealed record RunStart(RunFolder Folder, CheckpointStore Store, string? Latest)
{
    /// <summary>
    /// Opens the run folder of <paramref name="description"/>; a fresh start refuses a folder that already holds
    /// checkpoints, so a finished or crashed run is never overwritten by accident.
    /// </summary>
    public static RunStart Open(ExperimentDescription description, bool resume)
    {
        var folder = Experiment.Folder(description);
        var store = new CheckpointStore(folder.Checkpoints, new Sinks.RetentionPolicy(description.Output.KeepLast, description.SelectionMetric));
        var latest = store.Latest();
        if (latest is not null && !resume)
            throw new InvalidOperationException($"{folder.Path} already holds checkpoints: resume it (--resume) or choose another name.");
        Directory.CreateDirectory(folder.Path);
        ExperimentJson.Save(description, folder.Description);
        return new RunStart(folder, store, latest);
    }

    /// <summary>Wall time a resumed run had already spent (kept in the trainer state).</summary>
    public static TimeSpan ElapsedBefore(TrainerState state) =>
        TimeSpan.FromSeconds(state.Counters?.GetValueOrDefault("elapsed_s") ?? 0);

    /// <summary>The trainer state to write with a checkpoint: its score, the wall time so far and the audio skipped.</summary>
    public static TrainerState Snapshot(TrainerState state, double? metric, TimeSpan elapsed, int skippedAudio) => state with
    {
        Metric = metric,
        Counters = (state.Counters ?? ImmutableSortedDictionary<string, double>.Empty)
            .SetItem("elapsed_s", elapsed.TotalSeconds).SetItem("skipped_audio", skippedAudio),
    };
}
