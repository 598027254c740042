using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>Which test-score columns a <see cref="SweepTable"/> ends with.</summary>
public enum ScoreColumns
{
    /// <summary>None.</summary>
    None,
    /// <summary><c>test_cer</c>, <c>test_wer</c> (greedy) and <c>test_skipped</c>.</summary>
    Greedy,
    /// <summary>The greedy columns and, before <c>test_skipped</c>, <c>test_cer_lm</c>, <c>test_wer_lm</c>, <c>lm_alpha</c>, <c>lm_beta</c>, <c>dev_wer_lm</c>.</summary>
    WithLm,
}

/// <summary>The names of a results table's test-score columns (<see cref="ScoreColumns"/>): rates as fractions.</summary>
public static class ScoreColumn
{
    /// <summary>Greedy test CER.</summary>
    public const string TestCer = "test_cer";
    /// <summary>Greedy test WER.</summary>
    public const string TestWer = "test_wer";
    /// <summary>Test CER with beam search and the word LM, at the α and β tuned on dev.</summary>
    public const string TestCerLm = "test_cer_lm";
    /// <summary>Test WER with beam search and the word LM.</summary>
    public const string TestWerLm = "test_wer_lm";
    /// <summary>The LM weight α chosen on dev.</summary>
    public const string LmAlpha = "lm_alpha";
    /// <summary>The word-insertion bonus β chosen on dev.</summary>
    public const string LmBeta = "lm_beta";
    /// <summary>Dev WER with the LM at α, β.</summary>
    public const string DevWerLm = "dev_wer_lm";
    /// <summary>Test utterances that could not be scored.</summary>
    public const string TestSkipped = "test_skipped";
}

/// <summary>
/// A sweep's results table, one row per point: <c>index</c>, <c>point</c> (its readable name), <c>run</c>, the value of
/// every field the sweep varies (as the point ran it), <c>scale</c>, <c>step</c> (updates run), <c>compute_s</c>,
/// <c>learns</c> (when some point is a pre-training run with dev metrics, <see cref="SweepResult.Learns"/>),
/// <c>starts_from</c> (when some point fine-tunes a pre-trained model, <see cref="StartsFrom"/>), then the last value of
/// every metric, and the test scores of <see cref="SweepResult.Scores"/> when asked for (<see cref="ScoreColumns"/>; empty
/// cells for a point without them).
/// </summary>
/// <param name="Header">Column names.</param>
/// <param name="Rows">One row of texts per result.</param>
public sealed record SweepTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The table of <paramref name="results"/>, in their order, ending with the <paramref name="scores"/> columns.</summary>
    public static SweepTable Of(IReadOnlyList<SweepResult> results, ScoreColumns scores = ScoreColumns.None)
    {
        var fields = results.SelectMany(r => r.Point.Assignment.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        // A result read back from a table carries its test scores among its metrics; they stay in the score columns.
        var scoreNames = ScoreHeader(ScoreColumns.WithLm).ToHashSet();
        var metrics = results.SelectMany(r => r.Metrics.Keys).Where(m => !scoreNames.Contains(m)).Distinct().Order(StringComparer.Ordinal).ToList();
        var learns = results.Any(r => r.Learns is not null);
        var startsFrom = results.Any(r => r.Point.Description is FinetuneExperiment { Pretrained: not null });
        List<string> header = ["index", "point", "run", .. fields, "scale", "step", "compute_s", .. learns ? new[] { "learns" } : Array.Empty<string>(),
            .. startsFrom ? new[] { "starts_from" } : Array.Empty<string>(), .. metrics, .. ScoreHeader(scores)];
        var rows = results.Select(r =>
        {
            var description = FieldPath.Serialize(r.Point.Description, ExperimentJson.Options);
            return (IReadOnlyList<string>)
            [
                Text(r.Index), r.Point.Name, r.Point.Description.Name,
                .. fields.Select(f => Value(FieldPath.Get(description, f))),
                Text(r.Point.Scale), Text(r.Step), Text(Math.Round(r.ComputeSeconds, 1)),
                .. learns ? new[] { r.Learns switch { true => "yes", false => "no", null => "" } } : Array.Empty<string>(),
                .. startsFrom ? new[] { r.Recorded?.GetValueOrDefault("starts_from") ?? StartsFrom(r.Point.Description) } : Array.Empty<string>(),
                .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? Text(v) : ""),
                .. (r.Recorded is { } recorded && r.Scores is null
                    ? ScoreHeader(scores).Select(c => recorded.GetValueOrDefault(c) ?? "")
                    : ScoreCells(scores, r.Scores)),
            ];
        }).ToList();
        return new SweepTable(header, rows);
    }

    /// <summary>What the table's points cost, from their <c>compute_s</c> cells (a row without a number there is not counted).</summary>
    public SweepCompute Compute()
    {
        List<double> seconds = Positions(Header).TryGetValue("compute_s", out var at)
            ? [.. Rows.Select(r => Number(r[at])).OfType<double>()]
            : [];
        return new SweepCompute(seconds.Count, seconds.Sum(), seconds.DefaultIfEmpty(0).Max());
    }

    /// <summary>
    /// The cells of column <paramref name="name"/>, one per row in row order: so a notebook reads a committed table
    /// (<see cref="ReadCsv"/>) by column name, whatever columns an earlier or later version of the sweep wrote.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The table has no such column; the message names the columns it has.</exception>
    public IReadOnlyList<string> Column(string name) =>
        Positions(Header).TryGetValue(name, out var at)
            ? [.. Rows.Select(r => r[at])]
            : throw new KeyNotFoundException(Header.Count == 0
                ? $"the table has no column \"{name}\": it is empty (was its CSV file there?)."
                : $"the table has no column \"{name}\"; its columns: {string.Join(", ", Header)}.");

    /// <summary>The numbers of column <paramref name="name"/> (<see cref="Column"/>), one per row: null where a cell holds none (empty, or text).</summary>
    /// <exception cref="KeyNotFoundException">The table has no such column.</exception>
    public IReadOnlyList<double?> Numbers(string name) => [.. Column(name).Select(Number)];

    /// <summary>Writes the table as CSV (atomically).</summary>
    public void WriteCsv(string path) => SweepFile.WriteCsv(path, Header, Rows);

    /// <summary>A table as <see cref="WriteCsv"/> wrote it (header line, then one line per row); empty when the file is absent.</summary>
    public static SweepTable ReadCsv(string path)
    {
        if (!File.Exists(path)) return new SweepTable([], []);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return new SweepTable([], []);
        var header = CsvLog.Fields(lines[0]);
        var rows = lines.Skip(1).Select(CsvLog.Fields).ToList();
        var ragged = rows.FindIndex(r => r.Count != header.Count);
        if (ragged >= 0)
            throw new InvalidDataException($"{path}: line {ragged + 2} has {rows[ragged].Count} fields, the header {header.Count}; is it a sweep's results table?");
        return new SweepTable(header, rows);
    }

    /// <summary>
    /// This table (the finished points here) with the rows of <paramref name="earlier"/> (the results table written
    /// before, e.g. by another machine or an earlier collect) of points that have not finished here, so the results of
    /// machines that ran different points add up. An earlier row is matched to a point of <paramref name="missing"/> by
    /// its run name, not its index, and takes that point's index: a sweep whose points were renumbered since (a point
    /// added, seeds widened) keeps its rows. It is kept when its scale and the value of every field that point sets are
    /// the point's own; otherwise, or when the sweep has no point of its run name, it is left out and named with the
    /// reason in <c>Dropped</c> (the sweep file changed since). A row of a point finished here is left out silently. The header has the columns of both, laid out as
    /// <see cref="Of"/> lays them out; rows are in index order.
    /// </summary>
    public (SweepTable Table, IReadOnlyList<int> Kept, IReadOnlyList<string> Dropped) WithEarlierRows(SweepTable earlier,
        IReadOnlyList<SweepPoint<ExperimentDescription>> points, IReadOnlyList<SweepMissing> missing)
    {
        var (header, fields) = MergedHeader(Header, earlier.Header);
        // A varied field the other table brought in is read from the row's own point, as Of writes every varied field.
        IReadOnlyList<string> Widen(IReadOnlyList<string> row, Dictionary<string, int> at)
        {
            var point = points[int.Parse(row[0], CultureInfo.InvariantCulture)].Description;
            var serialized = new Lazy<JsonNode>(() => FieldPath.Serialize(point, ExperimentJson.Options));
            return [.. header.Select(c => at.TryGetValue(c, out var i) ? row[i] : fields.Contains(c) ? Value(FieldPath.Get(serialized.Value, c)) : "")];
        }
        var byRun = missing.ToDictionary(m => m.Point.Description.Name);
        var column = Positions(earlier.Header);
        var (kept, dropped) = (new List<int>(), new List<string>());
        var ours = Positions(Header);
        var rows = Rows.Select(r => Widen(r, ours)).ToList();
        // Rows of points finished here (in this table, or not among the missing) are superseded, not dropped.
        var here = points.Select(p => p.Description.Name).Except(byRun.Keys).ToHashSet();
        if (ours.TryGetValue("run", out var runColumn)) here.UnionWith(Rows.Select(r => r[runColumn]));
        foreach (var row in earlier.Rows)
        {
            string Cell(string name) => column.TryGetValue(name, out var i) ? row[i] : "";
            if (!int.TryParse(Cell("index"), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || here.Contains(Cell("run"))) continue;
            if (!byRun.TryGetValue(Cell("run"), out var point))
            {
                dropped.Add($"{index} {Cell("run")}: the sweep has no such unfinished point");
                continue;
            }
            var description = FieldPath.Serialize(point.Point.Description, ExperimentJson.Options);
            var differs = new[] { ("run", point.Point.Description.Name), ("scale", Text(point.Point.Scale)) }
                .Concat(point.Point.Assignment.Keys.Select(f => (f, Value(FieldPath.Get(description, f)))))
                .Where(x => !column.ContainsKey(x.Item1) || Cell(x.Item1) != x.Item2)
                .Select(x => x.Item1).ToList();
            if (differs.Count > 0)
            {
                dropped.Add($"{index} {Cell("run")}: its {string.Join(", ", differs)} differ from the sweep's point {point.Point.Description.Name}");
                continue;
            }
            var renumbered = row.ToArray();
            renumbered[column["index"]] = point.Index.ToString(CultureInfo.InvariantCulture);
            rows.Add(Widen(renumbered, column));
            kept.Add(point.Index);
        }
        var ordered = rows.OrderBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        return (new SweepTable(header, ordered), kept, dropped);
    }

    /// <summary>
    /// The rows of this table (a results table written before, on this machine or another) of the points of
    /// <paramref name="missing"/>, matched as <see cref="WithEarlierRows"/> matches them, as results
    /// (<see cref="SweepResult.Recorded"/>): so a notebook shows a sweep whose runs live elsewhere (a cluster's shared
    /// folder, an earlier machine) from its collected table, beside the points finished here. Each result's metrics are
    /// the row's numeric cells other than the point's identity, its varied fields and the run columns, test scores
    /// included; <c>step</c> and <c>compute_s</c> are its step and compute time (to 0.1 s, as the table keeps it). Rows the sweep no longer matches are left
    /// out and named in <c>Dropped</c>; rows of points finished here are left out silently.
    /// </summary>
    public (IReadOnlyList<SweepResult> Results, IReadOnlyList<string> Dropped) Recorded(IReadOnlyList<SweepPoint<ExperimentDescription>> points,
        IReadOnlyList<SweepMissing> missing)
    {
        var (table, _, dropped) = new SweepTable([], []).WithEarlierRows(this, points, missing);
        var (header, fields) = MergedHeader(table.Header, []);
        var at = Positions(table.Header);
        var metrics = header.Except(IdentityColumns).Except(RunColumns).Except(fields).ToList();
        var results = table.Rows.Select(row =>
        {
            string Cell(string column) => at.TryGetValue(column, out var i) ? row[i] : "";
            var index = int.Parse(Cell("index"), CultureInfo.InvariantCulture);
            var values = metrics.Select(m => (Name: m, Value: Number(Cell(m)))).Where(m => m.Value is not null)
                .ToImmutableSortedDictionary(m => m.Name, m => m.Value!.Value, StringComparer.Ordinal);
            return new SweepResult(index, points[index], (long)(Number(Cell("step")) ?? 0), Number(Cell("compute_s")) ?? 0, values)
            {
                Recorded = at.ToDictionary(x => x.Key, x => row[x.Value]),
            };
        }).ToList();
        return (results, dropped);
    }

    /// <summary>
    /// Which model a fine-tuning point started from, so rows measured before and after a model under the same path
    /// changed are told apart: the first 12 hex digits of the SHA-256 of its run's <see cref="ModelStamp"/>,
    /// <c>unstamped</c> for a run older than stamps, and empty for a point without a pre-trained model.
    /// </summary>
    public static string StartsFrom(ExperimentDescription point)
    {
        if (point is not FinetuneExperiment { Pretrained: not null }) return "";
        var stamp = Experiment.Folder(point).PretrainedStamp;
        return File.Exists(stamp)
            ? CheckpointChecksums.Hash(stamp)[..12]
            : "unstamped";
    }

    /// <summary>The columns of two headers in <see cref="Of"/>'s layout: identity, varied fields, run columns, metrics, test scores.</summary>
    static (List<string> Header, List<string> Fields) MergedHeader(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var (identity, run) = (IdentityColumns, RunColumns);
        var scores = ScoreHeader(ScoreColumns.WithLm).ToList();
        // Of writes the varied fields between "run" and "scale".
        IEnumerable<string> Fields(IReadOnlyList<string> h) =>
            Positions(h) is var at && at.TryGetValue("run", out var first) && at.TryGetValue("scale", out var end) ? h.Skip(first + 1).Take(end - first - 1) : [];
        var all = a.Union(b).ToList();
        var fields = Fields(a).Union(Fields(b)).Order(StringComparer.Ordinal).ToList();
        var metrics = all.Except(identity).Except(run).Except(scores).Except(fields).Order(StringComparer.Ordinal);
        return ([.. identity.Where(all.Contains), .. fields, .. run.Where(all.Contains), .. metrics, .. scores.Where(all.Contains)], fields);
    }

    static readonly string[] IdentityColumns = ["index", "point", "run"], RunColumns = ["scale", "step", "compute_s", "learns", "starts_from"];

    static Dictionary<string, int> Positions(IReadOnlyList<string> header) => header.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);

    static IEnumerable<string> ScoreHeader(ScoreColumns scores) => scores switch
    {
        ScoreColumns.None => [],
        ScoreColumns.Greedy => [ScoreColumn.TestCer, ScoreColumn.TestWer, ScoreColumn.TestSkipped],
        _ => [ScoreColumn.TestCer, ScoreColumn.TestWer, ScoreColumn.TestCerLm, ScoreColumn.TestWerLm, ScoreColumn.LmAlpha, ScoreColumn.LmBeta,
              ScoreColumn.DevWerLm, ScoreColumn.TestSkipped],
    };

    static IEnumerable<string> ScoreCells(ScoreColumns scores, TestScores? s)
    {
        double?[] greedy = [s?.Greedy.Cer, s?.Greedy.Wer], lm = [s?.Lm?.Test.Cer, s?.Lm?.Test.Wer, s?.Lm?.Alpha, s?.Lm?.Beta, s?.Lm?.Dev.Wer];
        double?[] cells = scores switch
        {
            ScoreColumns.None => [],
            ScoreColumns.Greedy => [.. greedy, s?.Greedy.Skipped],
            _ => [.. greedy, .. lm, s?.Greedy.Skipped],
        };
        return cells.Select(v => v is { } value ? Text(value) : "");
    }

    /// <summary>A cell's number, or null when it holds none (empty, or a text field).</summary>
    static double? Number(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Value(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };
}

/// <summary>The compute a sweep's points took: each point's run time (one worker each), added up.</summary>
/// <param name="Points">Points with a logged compute time.</param>
/// <param name="TotalSeconds">Their run times added up: the time of one worker running them one after another.</param>
/// <param name="LongestSeconds">The longest point's run time.</param>
public sealed record SweepCompute(int Points, double TotalSeconds, double LongestSeconds)
{
    /// <summary>
    /// The least wall time the points take with <paramref name="workers"/> of them running at once: the total spread
    /// evenly over the workers, or the longest point when that is longer.
    /// </summary>
    public double AtLeastSeconds(int workers) => Math.Max(TotalSeconds / Math.Max(1, workers), LongestSeconds);

    /// <summary>One line for a terminal: total, longest point and the least wall time with <paramref name="workers"/> at once.</summary>
    public string Describe(int workers) => Points == 0
        ? "compute: no point has a logged compute time"
        : $"compute {Span(TotalSeconds)} over {Points} points (longest {Span(LongestSeconds)}): at least {Span(AtLeastSeconds(workers))} with {workers} points at a time";

    static string Span(double seconds) => seconds >= 3600
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min");
}
