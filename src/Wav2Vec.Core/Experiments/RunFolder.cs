namespace Wav2Vec.Experiments;

/// <summary>Where one run writes: <c>OUTPUT/NAME/</c> with its description, metric logs, checkpoints and final model.</summary>
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

    /// <summary>The final model as a Hugging Face directory (written when the run finishes).</summary>
    public string Final => System.IO.Path.Combine(Path, "final");
}
