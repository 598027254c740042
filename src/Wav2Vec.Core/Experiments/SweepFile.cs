using System.Collections.Immutable;
using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// A sweep as JSON: <c>{"baseline": "pretrain.json", "grid": {"masking.prob": [0.3, 0.65]}, "results": "results/x.csv"}</c>.
/// <c>baseline</c> is a path (relative to the sweep file) or an inline description; <c>results</c> is where the table goes.
/// </summary>
/// <param name="Baseline">The description every point varies.</param>
/// <param name="Sweep">The grid.</param>
/// <param name="Results">CSV path for the results table.</param>
public sealed record SweepFile(ExperimentDescription Baseline, Sweep Sweep, string Results)
{
    /// <summary>Reads a sweep file; errors name the file and the field.</summary>
    public static SweepFile Load(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"{path}: expected a JSON object with baseline, grid and results.");
        var baseline = root["baseline"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var file) => ExperimentJson.Load(Path.Combine(folder, file)),
            JsonObject inline => ExperimentJson.Parse(inline.ToJsonString(), $"{path} (baseline)"),
            _ => throw new InvalidDataException($"{path}: field 'baseline' must be a description file path or an inline description."),
        };
        if (root["grid"] is not JsonObject grid || grid.Count == 0)
            throw new InvalidDataException($"{path}: field 'grid' must map field paths to lists of values.");
        var axes = grid.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value is JsonArray values
            ? values.Select(v => v!.DeepClone()).ToImmutableArray()
            : throw new InvalidDataException($"{path}: grid field '{kv.Key}' must be a list of values."));
        var results = root["results"]?.GetValue<string>() ?? Path.ChangeExtension(Path.GetFileName(path), ".csv");
        return new SweepFile(baseline, new Sweep(axes), Path.GetFullPath(Path.Combine(folder, results)));
    }

    /// <summary>The descriptions to run, each validated and named <c>BASELINE-NN</c>.</summary>
    public IReadOnlyList<SweepPoint<ExperimentDescription>> Points() =>
        Sweep.Expand(Baseline, ExperimentJson.Options)
            .Select((p, i) => p with { Description = (p.Description with { Name = $"{Baseline.Name}-{i:D2}" }).Validate("sweep point " + p.Label) })
            .ToList();

    /// <summary>Runs every point in turn (one at a time: they share the cores) and returns every report.</summary>
    public static IObservable<StepReport> RunAll(IEnumerable<SweepPoint<ExperimentDescription>> points) =>
        points.Select(p => p.Description.Run().LogTo(Experiment.Folder(p.Description))).Concat();

    /// <summary>One row per point: its run name, the grid values, and the last value of each metric it reported.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Table(IReadOnlyList<SweepPoint<ExperimentDescription>> points, IEnumerable<StepReport> reports,
        out IReadOnlyList<string> header)
    {
        var last = new Dictionary<string, SortedDictionary<string, double>>();
        foreach (var r in reports)
        {
            if (!last.TryGetValue(r.Run, out var metrics)) last[r.Run] = metrics = new(StringComparer.Ordinal);
            foreach (var (k, v) in r.Metrics) metrics[k] = v;
            metrics["step"] = r.Step;
        }
        var fields = points.SelectMany(p => p.Assignment.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var metricNames = last.Values.SelectMany(m => m.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        header = ["run", .. fields, .. metricNames];
        return points.Select(p =>
        {
            var name = p.Description.Name;
            var metrics = last.GetValueOrDefault(name);
            return (IReadOnlyList<string>)[name,
                .. fields.Select(f => p.Assignment.GetValueOrDefault(f, "")),
                .. metricNames.Select(m => metrics is not null && metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")];
        }).ToList();
    }

    /// <summary>Writes <see cref="Table"/> as CSV (atomically).</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        AtomicFile.WriteAllText(path, string.Concat(new[] { header }.Concat(rows).Select(r => string.Join(",", r.Select(CsvLog.Escape)) + "\n")));
}
