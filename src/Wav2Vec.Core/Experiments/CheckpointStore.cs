using System.Globalization;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// A run's checkpoint folder: <c>checkpoints/step-00000100/</c> per saved step, each written atomically
/// (complete or absent), pruned by a <see cref="RetentionPolicy"/> (the last K and the best).
/// </summary>
public sealed class CheckpointStore(string folder, RetentionPolicy policy)
{
    /// <summary>The folder holding one sub-folder per checkpoint.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The retention policy applied after each save.</summary>
    public RetentionPolicy Policy { get; } = policy.Validate();

    /// <summary>Folder name for a step: zero-padded so names sort by step.</summary>
    public static string NameFor(long step) => $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Writes the checkpoint for <paramref name="step"/> through <paramref name="fill"/> (given a temporary folder
    /// that must end up holding the model, optimiser and <see cref="TrainerState"/>), then prunes old ones.
    /// Returns the final folder.
    /// </summary>
    public string Save(long step, Action<string> fill)
    {
        var path = Path.Combine(Folder, NameFor(step));
        AtomicFile.WriteDirectory(path, fill);
        var (_, delete) = CheckpointRetention.Apply(List(), Policy);
        foreach (var old in delete) Directory.Delete(old.Path, recursive: true);
        return path;
    }

    /// <summary>Complete checkpoints in step order, with their selection metric.</summary>
    public IReadOnlyList<CheckpointEntry> List()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.EnumerateDirectories(Folder, "step-*")
            .Where(d => !AtomicFile.IsTemporary(d) && File.Exists(Path.Combine(d, TrainerState.FileName)))
            .Select(d => { var s = TrainerState.Load(d); return new CheckpointEntry(d, s.Step, s.Metric); })
            .OrderBy(c => c.Step)
            .ToList();
    }

    /// <summary>The newest complete checkpoint, or null when there is none.</summary>
    public string? Latest() => List().LastOrDefault()?.Path;

    /// <summary>The best checkpoint by the policy's metric, or null.</summary>
    public string? Best() => CheckpointRetention.Best(List(), Policy.LowerIsBetter)?.Path;
}
