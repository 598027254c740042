using System.Globalization;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>Where one run writes: <c>OUTPUT/NAME/</c> with its description, metric logs, checkpoints and best and final models.</summary>
/// <param name="Path">The run's folder.</param>
public sealed record RunFolder(string Path)
{
    /// <summary>The folder of run <paramref name="name"/> under <paramref name="output"/>.</summary>
    public static RunFolder For(string output, string name) => new(System.IO.Path.GetFullPath(System.IO.Path.Combine(output, name)));

    /// <summary>The description the run was started with (<c>experiment.json</c>).</summary>
    public string Description => System.IO.Path.Combine(Path, "experiment.json");

    /// <summary>Metric log, one JSON object per step.</summary>
    public string MetricsJsonl => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>Metric log as CSV.</summary>
    public string MetricsCsv => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>Audio files the run left out, one per line with the split and the reason (<see cref="SkippedAudioLog"/>).</summary>
    public string SkippedAudio => System.IO.Path.Combine(Path, "skipped.tsv");

    /// <summary>The trained model's test scores, cached with what determines them (<see cref="TestScoring"/>).</summary>
    public string Scores => System.IO.Path.Combine(Path, "scores.json");

    /// <summary>The file a running run holds an exclusive lock on (<see cref="RunLock"/>).</summary>
    public string Lock => System.IO.Path.Combine(Path, "run.lock");

    /// <summary>Who holds <see cref="Lock"/>: process id, host and start time of the run.</summary>
    public string Holder => System.IO.Path.Combine(Path, "run.holder");

    /// <summary>Folder of resumable checkpoints (<c>step-NNNNNNNN/</c>).</summary>
    public string Checkpoints => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>The best model so far by the description's selection metric, as a Hugging Face directory.</summary>
    public string Best => System.IO.Path.Combine(Path, "best");

    /// <summary>The final model as a Hugging Face directory (written when the run finishes).</summary>
    public string Final => System.IO.Path.Combine(Path, "final");

    /// <summary>The model to use after the run: <see cref="Best"/> when the run kept one (it evaluates on dev), else <see cref="Final"/>.</summary>
    public string Trained => Directory.Exists(Best) ? Best : Final;

    /// <summary>
    /// Makes the logs read as one run that has done <paramref name="step"/> steps: a line cut off by a kill goes, and
    /// so do the lines of steps after <paramref name="step"/> (a killed run may have logged steps after its newest
    /// checkpoint, which resuming repeats; a run killed before its first checkpoint starts again from 0). Each change
    /// is told to <paramref name="log"/>.
    /// </summary>
    public void TrimLogsTo(long step, Action<string> log)
    {
        Trim(MetricsJsonl, line => StepReportJson.Deserialize(line).Step, step, header: false, log);
        var column = CsvLog.FixedColumns.ToList().IndexOf("step");
        Trim(MetricsCsv, line => long.Parse(CsvLog.Fields(line)[column], CultureInfo.InvariantCulture), step, header: true, log);
    }

    /// <summary>The SHA-256 of the model a fine-tuning run started from (<see cref="ModelStamp"/>).</summary>
    public string PretrainedStamp => System.IO.Path.Combine(Path, ModelStamp.FileName);

    /// <summary>
    /// Why the run in this folder cannot be continued as <paramref name="description"/>, as an error message naming the
    /// file: the saved description differs (<see cref="DescriptionDiffers"/>), or the model the run started from has
    /// changed under the same path since (<see cref="PretrainedStamp"/>). Null when neither.
    /// </summary>
    public string? StartDiffers(ExperimentDescription description)
    {
        if (DescriptionDiffers(description) is { } why) return $"{Description}: the run began with another description ({why}).";
        if (description is not FinetuneExperiment { Pretrained: { } model } || !File.Exists(PretrainedStamp)) return null;
        return ModelStamp.Of(model) is { } now && now != File.ReadAllText(PretrainedStamp)
            ? $"{PretrainedStamp}: the run began from another model (the files in {model} changed since)."
            : null;
    }

    /// <summary>Records the model a fine-tuning run of <paramref name="description"/> starts from (nothing for other runs).</summary>
    public void StampPretrained(ExperimentDescription description)
    {
        if (description is FinetuneExperiment { Pretrained: { } model } && ModelStamp.Of(model) is { } stamp) AtomicFile.WriteAllText(PretrainedStamp, stamp);
    }

    /// <summary>
    /// Why the description saved in the folder is not <paramref name="description"/>: the first field that differs, or
    /// that the saved one no longer reads. Both are read through <see cref="ExperimentJson"/>, so a field added since
    /// with its default value does not count, and <c>output</c> (checkpoint, evaluation and retention cadence) may
    /// change. Null when they agree or the folder holds no description yet.
    /// </summary>
    public string? DescriptionDiffers(ExperimentDescription description)
    {
        if (!File.Exists(Description)) return null;
        ExperimentDescription saved;
        try
        {
            saved = ExperimentJson.Load(Description);
        }
        catch (InvalidDataException e)
        {
            return $"the saved description no longer reads ({e.Message})";
        }
        var field = FieldPath.FirstDifference(
            System.Text.Json.Nodes.JsonNode.Parse(ExperimentJson.Serialize(saved with { Output = description.Output })),
            System.Text.Json.Nodes.JsonNode.Parse(ExperimentJson.Serialize(description)));
        return field is null ? null : $"field '{field}' differs";
    }

    /// <summary>The update count of the newest complete checkpoint, 0 when there is none.</summary>
    public long NewestCheckpointStep() => new CheckpointStore(Checkpoints, new RetentionPolicy()).List().LastOrDefault()?.Step ?? 0;

    static void Trim(string path, Func<string, long> stepOf, long last, bool header, Action<string> log)
    {
        var lines = LineFile.Repair(path, log);
        if (lines.Count == 0) return;
        var kept = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if ((header && i == 0) || line.Length == 0) kept.Add(line);
            else if (StepOf(line, i) <= last) kept.Add(line);
        }
        if (kept.Count == lines.Count) return;
        var dropped = lines.Count - kept.Count;
        log(last == 0
            ? $"{path}: dropped the {dropped} line(s) of an earlier attempt that left no checkpoint; the run starts from step 0."
            : $"{path}: dropped {dropped} line(s) logged after step {last}, the step the run continues from.");
        // Only a header left: the run starts over, and its first report writes the header afresh.
        if (header && kept.Count == 1) File.Delete(path);
        else LineFile.Rewrite(path, kept);

        long StepOf(string line, int index)
        {
            try
            {
                return stepOf(line);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                throw new InvalidDataException($"{path}:{index + 1}: not a metrics line ({e.Message}); repair or remove the log.", e);
            }
        }
    }

    /// <summary>
    /// Removes what a killed writer left half done (<see cref="AtomicFile"/>'s <c>.tmp-</c> files and folders in the run
    /// folder and its checkpoints) and puts back a model folder that was set aside for its replacement when the
    /// replacement never arrived (<c>best.old-…</c> without <c>best/</c>). Call with the run's lock held; each removal
    /// is told to <paramref name="log"/>.
    /// </summary>
    public void RemoveUnfinishedWrites(Action<string> log)
    {
        foreach (var folder in new[] { Path, Checkpoints }.Where(Directory.Exists))
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).ToList())
        {
            if (AtomicFile.AsideOf(entry) is { } target && !Directory.Exists(target) && !File.Exists(target))
            {
                Directory.Move(entry, target);
                log($"{target}: put back (a killed run had set it aside to replace it).");
            }
            else if (AtomicFile.IsTemporary(entry) || AtomicFile.AsideOf(entry) is not null)
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                log($"{entry}: removed (left unfinished by a killed run).");
            }
        }
    }
}
