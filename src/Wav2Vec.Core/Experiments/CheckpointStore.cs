using System.Globalization;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// A run's checkpoint folder: <c>checkpoints/step-00000100/</c> per saved step, each written atomically
/// (complete or absent) with the SHA-256 of every file (<see cref="CheckpointChecksums"/>), pruned by a
/// <see cref="RetentionPolicy"/> (the last K and the best).
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
    /// that must end up holding the model, optimiser and <see cref="TrainerState"/>) and its checksums, then prunes old
    /// ones. Returns the final folder.
    /// </summary>
    public string Save(long step, Action<string> fill)
    {
        var path = Path.Combine(Folder, NameFor(step));
        AtomicFile.WriteDirectory(path, temporary =>
        {
            fill(temporary);
            CheckpointChecksums.Write(temporary);
        });
        var (_, delete) = CheckpointRetention.Apply(List(), Policy);
        foreach (var old in delete) Directory.Delete(old.Path, recursive: true);
        return path;
    }

    /// <summary>Checkpoint folders (<c>step-*</c>, not half-written ones), readable or not, in name (= step) order.</summary>
    public IReadOnlyList<string> Folders() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateDirectories(Folder, "step-*").Where(d => !AtomicFile.IsTemporary(d) && AtomicFile.AsideOf(d) is null)
                .Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Complete checkpoints in step order, with their selection metric (a folder whose trainer state does not read is left out).</summary>
    public IReadOnlyList<CheckpointEntry> List() =>
        Folders()
            .Select(d => TrainerState.TryLoad(d) is { } s ? new CheckpointEntry(d, s.Step, s.Metric) : null)
            .OfType<CheckpointEntry>()
            .OrderBy(c => c.Step)
            .ToList();

    /// <summary>The newest complete checkpoint, or null when there is none.</summary>
    public string? Latest() => List().LastOrDefault()?.Path;

    /// <summary>
    /// The newest checkpoint that passes <see cref="Problem"/>, or null when there are none. Each newer one that fails
    /// is moved aside to <c>damaged-step-…</c> (kept for inspection, out of the way of the resumed run and of
    /// retention), and <paramref name="log"/> hears which checkpoint the run continues from and why.
    /// </summary>
    /// <exception cref="InvalidDataException">Checkpoints exist but none is intact; the message lists each with its problem.</exception>
    public string? NewestIntact(Action<string> log)
    {
        var folders = Folders();
        var damaged = new List<(string Folder, string Problem)>();
        foreach (var folder in folders.Reverse())
        {
            if (Problem(folder) is { } problem)
            {
                damaged.Add((folder, problem));
                continue;
            }
            foreach (var (bad, why) in damaged)
            {
                var aside = Path.Combine(Folder, "damaged-" + Path.GetFileName(bad));
                if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
                Directory.Move(bad, aside);
                log($"{why}; continuing from the older {Path.GetFileName(folder)} instead (the damaged checkpoint is kept as {aside}).");
            }
            return folder;
        }
        if (damaged.Count > 0)
            throw new InvalidDataException($"{Folder}: no intact checkpoint to resume from: {string.Join("; ", damaged.Select(d => d.Problem))}.");
        return null;
    }

    /// <summary>
    /// What keeps <paramref name="folder"/> from being resumed, naming the file: a file that differs from its checksum,
    /// a missing or unreadable <c>trainer_state.json</c>, a missing model or optimiser file; null when none.
    /// </summary>
    public static string? Problem(string folder)
    {
        if (CheckpointChecksums.Problem(folder) is { } damaged) return damaged;
        try
        {
            TrainerState.Load(folder);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            return e.Message.TrimEnd('.');
        }
        foreach (var required in new[] { "config.json", TrainerState.OptimizerFileName })
            if (!File.Exists(Path.Combine(folder, required))) return $"{Path.Combine(folder, required)}: missing";
        return File.Exists(Path.Combine(folder, "model.safetensors")) || File.Exists(Path.Combine(folder, "pytorch_model.bin"))
            ? null
            : $"{Path.Combine(folder, "model.safetensors")}: missing";
    }

    /// <summary>The best checkpoint by the policy's metric, or null.</summary>
    public string? Best() => CheckpointRetention.Best(List(), Policy.LowerIsBetter)?.Path;
}
