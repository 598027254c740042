using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

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
        var metrics = results.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
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
                .. startsFrom ? new[] { StartsFrom(r.Point.Description) } : Array.Empty<string>(),
                .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? Text(v) : ""),
                .. ScoreCells(scores, r.Scores),
            ];
        }).ToList();
        return new SweepTable(header, rows);
    }

    /// <summary>Writes the table as CSV (atomically).</summary>
    public void WriteCsv(string path) => SweepFile.WriteCsv(path, Header, Rows);

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

    static IEnumerable<string> ScoreHeader(ScoreColumns scores) => scores switch
    {
        ScoreColumns.None => [],
        ScoreColumns.Greedy => ["test_cer", "test_wer", "test_skipped"],
        _ => ["test_cer", "test_wer", "test_cer_lm", "test_wer_lm", "lm_alpha", "lm_beta", "dev_wer_lm", "test_skipped"],
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

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Value(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };
}
