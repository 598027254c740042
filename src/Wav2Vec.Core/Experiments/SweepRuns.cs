using System.Reactive.Linq;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>Where a sweep point stands, read from its run folder.</summary>
/// <param name="Step">Update count of the run's newest checkpoint (0: none yet).</param>
/// <param name="Steps">Updates the point runs.</param>
/// <param name="Foreign">The folder holds a run of another description (the sweep file changed since it ran) or of another version of its pre-trained model.</param>
public sealed record SweepPointStatus(long Step, long Steps, bool Foreign)
{
    /// <summary>The run reached its last update and checkpointed it.</summary>
    public bool Finished => !Foreign && Step >= Steps;

    /// <inheritdoc />
    public override string ToString() =>
        Foreign ? "its folder holds a run of another description or model"
        : Finished ? "finished"
        : Step == 0 ? "no checkpoint yet"
        : $"at step {Step} of {Steps}";
}

/// <summary>A point of a sweep that has not finished, with where it stands.</summary>
public sealed record SweepMissing(int Index, SweepPoint<ExperimentDescription> Point, SweepPointStatus Status);

/// <summary>A sweep's results: the finished points, read from their run folders or from the sweep's results table.</summary>
/// <param name="Results">In point order; those read from the table have <see cref="SweepResult.Recorded"/>.</param>
/// <param name="Missing">Points neither finished here nor in the table.</param>
/// <param name="Dropped">Table rows left out, each with its reason (<see cref="SweepTable.WithEarlierRows"/>).</param>
public sealed record SweepCollection(IReadOnlyList<SweepResult> Results, IReadOnlyList<SweepMissing> Missing, IReadOnlyList<string> Dropped);

/// <summary>
/// Sweep points as runs in their folders, so any process may run any point and any other collect them (a scheduler's
/// array tasks, then one collect job): a finished point is never run again, an interrupted one resumes from its newest
/// checkpoint, and the results are read back from the run folders' metric logs.
/// </summary>
public static class SweepRuns
{
    /// <summary>Where <paramref name="point"/>'s run stands: its newest checkpoint, and whether its folder holds this description.</summary>
    public static SweepPointStatus Status(ExperimentDescription point)
    {
        var folder = Experiment.Folder(point);
        return new SweepPointStatus(folder.NewestCheckpointStep(), point.Steps, folder.StartDiffers(point) is not null);
    }

    /// <summary>
    /// Runs <paramref name="point"/> to its end into its folder's logs, continuing its newest checkpoint (log lines after
    /// it are dropped first); nothing when it has finished. A folder holding another description is an error naming it.
    /// </summary>
    public static IObservable<StepReport> Run(ExperimentDescription point, CancellationToken stop = default, Action<string>? log = null) =>
        Observable.Defer(() =>
        {
            var status = Status(point);
            if (status.Foreign)
                throw new InvalidOperationException($"{Experiment.Folder(point).Description}: the folder holds a run of another description than sweep " +
                                                    $"point {point.Name} (the sweep file changed?); move the folder away to run the point afresh.");
            return status.Finished ? Observable.Empty<StepReport>() : point.Run(resume: true, stop, log).LogTo(Experiment.Folder(point));
        });

    /// <summary>The results of the finished points (read from their run folders), and the points still missing.</summary>
    public static (IReadOnlyList<SweepResult> Finished, IReadOnlyList<SweepMissing> Missing) Collect(IReadOnlyList<SweepPoint<ExperimentDescription>> points)
    {
        var finished = new List<SweepResult>();
        var missing = new List<SweepMissing>();
        for (var i = 0; i < points.Count; i++)
        {
            var status = Status(points[i].Description);
            var log = Experiment.Folder(points[i].Description).MetricsJsonl;
            if (status.Finished && File.Exists(log)) finished.Add(SweepResult.Of(i, points[i], JsonLinesLog.Read(log)));
            else missing.Add(new SweepMissing(i, points[i], status));
        }
        return (finished, missing);
    }

    /// <summary>
    /// The finished points, read from their run folders, and for the others the rows of the results table at
    /// <paramref name="resultsTable"/> (<see cref="SweepTable.Recorded"/>: the runs of a cluster's or an earlier machine's
    /// folder, collected by <c>sweep --collect --merge</c>); no table when it is null or absent.
    /// </summary>
    public static SweepCollection Collect(IReadOnlyList<SweepPoint<ExperimentDescription>> points, string? resultsTable)
    {
        var (finished, missing) = Collect(points);
        if (resultsTable is null) return new SweepCollection(finished, missing, []);
        var (recorded, dropped) = SweepTable.ReadCsv(resultsTable).Recorded(points, missing);
        var found = recorded.Select(r => r.Index).ToHashSet();
        return new SweepCollection([.. finished.Concat(recorded).OrderBy(r => r.Index)], [.. missing.Where(m => !found.Contains(m.Index))], dropped);
    }
}
