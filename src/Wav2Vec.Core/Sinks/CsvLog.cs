using System.Globalization;
using System.Text;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Writes <see cref="StepReport"/>s as CSV: fixed columns, then one column per metric. The header comes from
/// the first report's metric names (or from the existing file when a run resumes). A metric first seen later
/// (CER/WER at the first evaluation) widens the file: its column is added at the end and earlier rows get an
/// empty cell, rewritten atomically, so existing columns never move. A step lacking a metric leaves it empty.
/// Use through <see cref="SinkExtensions.LogCsv"/>.
/// </summary>
public sealed class CsvLog : IObserver<StepReport>, IDisposable
{
    /// <summary>Columns every row has, before the metric columns.</summary>
    public static readonly IReadOnlyList<string> FixedColumns = ["run", "phase", "step", "epoch", "elapsed_s", "lr", "total_steps", "checkpoint"];

    readonly List<string> metricColumns = [];
    LineFile? writer;

    /// <summary>
    /// A log at <paramref name="path"/>, continuing an existing log (its header is checked and kept) or starting a new
    /// one. The file is read and opened at the first report, so a resumed run may trim it before.
    /// </summary>
    public CsvLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    /// <summary>Absolute path of the log.</summary>
    public string Path { get; }

    /// <summary>Metric columns in file order.</summary>
    public IReadOnlyList<string> MetricColumns => metricColumns;

    /// <inheritdoc />
    public void OnNext(StepReport value)
    {
        writer ??= Open(value);
        var added = value.Metrics.Keys.Where(k => !metricColumns.Contains(k)).ToList();
        if (added.Count > 0) Widen(added);
        writer.Append(Row(value, metricColumns));
    }

    LineFile Open(StepReport first)
    {
        if (File.Exists(Path) && File.ReadLines(Path).FirstOrDefault() is { Length: > 0 } header)
        {
            var columns = Fields(header);
            if (!columns.Take(FixedColumns.Count).SequenceEqual(FixedColumns))
                throw new FormatException($"{Path}: header '{header}' is not a metrics log header (expected it to start with {string.Join(",", FixedColumns)}).");
            metricColumns.AddRange(columns.Skip(FixedColumns.Count));
            return new LineFile(Path);
        }
        metricColumns.AddRange(first.Metrics.Keys);
        var file = new LineFile(Path);
        file.Append(Header(metricColumns));
        return file;
    }

    /// <inheritdoc />
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <inheritdoc />
    public void Dispose() => writer?.Dispose();

    /// <summary>The header line for the given metric columns.</summary>
    public static string Header(IEnumerable<string> metricColumns) => string.Join(",", FixedColumns.Concat(metricColumns).Select(Escape));

    /// <summary>One CSV row: fixed fields, then the metric columns in order (empty when the report lacks one).</summary>
    public static string Row(StepReport r, IEnumerable<string> metricColumns)
    {
        var fields = new[]
        {
            r.Run, StepReport.PhaseName(r.Phase), Number(r.Step), Number(r.Epoch), Number(r.Elapsed.TotalSeconds),
            Number(r.LearningRate), r.TotalSteps is { } t ? Number(t) : "", r.Checkpoint ?? "",
        }.Concat(metricColumns.Select(c => r.Metrics.TryGetValue(c, out var v) ? Number(v) : ""));
        return string.Join(",", fields.Select(Escape));
    }

    /// <summary>RFC 4180 quoting when needed; line breaks become spaces so one report stays one line.</summary>
    public static string Escape(string field)
    {
        var flat = field.Replace("\r", " ").Replace("\n", " ");
        return flat.IndexOfAny([',', '"']) >= 0 ? "\"" + flat.Replace("\"", "\"\"") + "\"" : flat;
    }

    /// <summary>The fields of one line as <see cref="Row"/> or <see cref="Header"/> wrote it, with <see cref="Escape"/>'s quoting undone.</summary>
    public static IReadOnlyList<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    void Widen(IReadOnlyList<string> added)
    {
        writer!.Dispose();
        var padding = new string(',', added.Count);
        var lines = File.ReadAllLines(Path);
        metricColumns.AddRange(added);
        LineFile.Rewrite(Path, lines.Skip(1).Select(line => line + padding).Prepend(Header(metricColumns)));
        writer = new LineFile(Path);
    }
}
