using System.Globalization;
using System.Text.Json;
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

    /// <summary>Folder of resumable checkpoints (<c>step-NNNNNNNN/</c>).</summary>
    public string Checkpoints => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>The best model so far by the description's selection metric, as a Hugging Face directory.</summary>
    public string Best => System.IO.Path.Combine(Path, "best");

    /// <summary>The final model as a Hugging Face directory (written when the run finishes).</summary>
    public string Final => System.IO.Path.Combine(Path, "final");

    /// <summary>The model to use after the run: <see cref="Best"/> when the run kept one (it evaluates on dev), else <see cref="Final"/>.</summary>
    public string Trained => Directory.Exists(Best) ? Best : Final;

    /// <summary>
    /// A killed run may have logged steps after its newest checkpoint (every step, when it had none yet); resuming
    /// repeats them, so those lines go first and the logs read as one uninterrupted run.
    /// </summary>
    public void TrimLogsToNewestCheckpoint()
    {
        var newest = NewestCheckpointStep();
        Trim(MetricsJsonl, line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64(), newest);
        var step = CsvLog.FixedColumns.ToList().IndexOf("step");
        Trim(MetricsCsv, line => long.Parse(CsvLog.Fields(line)[step], CultureInfo.InvariantCulture), newest, header: true);
    }

    /// <summary>The update count of the newest complete checkpoint, 0 when there is none.</summary>
    public long NewestCheckpointStep() => new CheckpointStore(Checkpoints, new RetentionPolicy()).List().LastOrDefault()?.Step ?? 0;

    static void Trim(string path, Func<string, long> step, long last, bool header = false)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Where((line, i) => (header && i == 0) || line.Length == 0 || step(line) <= last).ToArray();
        if (kept.Length != lines.Length) AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")));
    }
}
