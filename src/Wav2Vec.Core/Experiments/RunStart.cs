using System.Collections.Immutable;
using Wav2Vec.Errors;

namespace Wav2Vec.Experiments;

/// <summary>
/// What a run finds when it starts: its folder (locked for this run, with the description saved in it), its checkpoint
/// store (keeping the best by the description's selection metric), and the checkpoint it continues from when it
/// resumes. Dispose it to release the folder when a start fails; a running <see cref="Trainer"/> owns it.
/// </summary>
/// <param name="Folder">The run's folder.</param>
/// <param name="Store">Its checkpoints.</param>
/// <param name="Latest">The newest intact checkpoint to resume from, or null for a fresh start.</param>
/// <param name="Lock">The run's hold on its folder.</param>
public sealed record RunStart(RunFolder Folder, CheckpointStore Store, string? Latest, RunLock Lock) : IDisposable
{
    /// <summary>
    /// Opens the run folder of <paramref name="description"/>, in this order: take its lock (a second run of the folder
    /// fails here, naming the holder); remove what a killed run left half-written; pick the checkpoint to continue from
    /// (with <paramref name="resume"/>: the newest intact one, <see cref="CheckpointStore.NewestIntact"/>, refused when
    /// the folder's run began with another description or model, <see cref="RunFolder.StartDiffers"/>); trim the
    /// metric logs to that step (0 for a fresh start: the lines of an attempt that left no checkpoint go); save the
    /// description and the SHA-256 of the model a fine-tuning run starts from. A fresh start refuses a folder that
    /// already holds checkpoints, so a finished or crashed run is never overwritten by accident. What it repairs is
    /// told to <paramref name="log"/>.
    /// </summary>
    public static RunStart Open(ExperimentDescription description, bool resume, Action<string> log)
    {
        var folder = Experiment.Folder(description);
        var store = new CheckpointStore(folder.Checkpoints, new Sinks.RetentionPolicy(description.Output.KeepLast, description.SelectionMetric));
        var runLock = RunLock.Acquire(folder);
        try
        {
            if (!resume && store.Folders().Count > 0)
                throw new HintedException(new InvalidOperationException($"{folder.Path}: the run folder already holds checkpoints."),
                    "continue the run with --resume, or give the description another name.");
            folder.RemoveUnfinishedWrites(log);
            var latest = resume ? store.NewestIntact(log) : null;
            if (latest is not null && folder.StartDiffers(description) is { } why)
                throw new HintedException(new InvalidOperationException(why),
                    $"continue it as it began (./wav2vec run {Path.GetRelativePath(Environment.CurrentDirectory, folder.Description)} --resume, " +
                    "with the model it began from), or give the changed description another name.");
            folder.TrimLogsTo(latest is null ? 0 : TrainerState.Load(latest).Step, log);
            ExperimentJson.Save(description, folder.Description);
            folder.StampPretrained(description);
            return new RunStart(folder, store, latest, runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
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

    /// <summary>Releases the run folder.</summary>
    public void Dispose() => Lock.Dispose();
}
