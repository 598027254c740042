using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec.Experiments;

/// <summary>
/// Reads a <see cref="SweepFile"/> from JSON: <c>baseline</c> (a description file, relative to the sweep file, or an
/// inline description), <c>grid</c> and/or <c>points</c>, an optional <c>repeat</c>, and <c>results</c> (default: the
/// sweep file's name with <c>.csv</c>), and <c>after</c>: a sweep file (relative to this one) whose points run first, such as
/// the pre-trainings this sweep fine-tunes. Unknown fields and malformed values are errors naming the file and the field.
/// </summary>
static class SweepFileJson
{
    static readonly string[] Fields = ["baseline", "grid", "points", "repeat", "results", "after"];

    public static SweepFile Read(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such sweep file.", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"{path}: expected a JSON object with baseline, grid or points, and results.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (root.Select(kv => kv.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
            throw new InvalidDataException($"{path}: field '{unknown}' is not a sweep field ({string.Join(", ", Fields)}).");
        var baseline = root["baseline"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var file) => ExperimentJson.Load(Path.Combine(folder, file)),
            JsonObject inline => ExperimentJson.Parse(inline.ToJsonString(), $"{path} (baseline)"),
            _ => throw new InvalidDataException($"{path}: field 'baseline' must be a description file path or an inline description."),
        };
        var grid = root["grid"] is null ? Sweep.Empty : Axes(path, "grid", root["grid"]);
        var points = root["points"] switch
        {
            null => [],
            JsonArray list => list.Select((p, i) => Variation(path, i, p)).ToImmutableArray(),
            _ => throw new InvalidDataException($"{path}: field 'points' must be a list of {{\"name\": …, \"set\": {{\"field.path\": value}}}}."),
        };
        if (grid.Grid.IsEmpty && points.IsEmpty)
            throw new InvalidDataException($"{path}: field 'grid' or 'points' must say what to vary.");
        var repeat = root["repeat"] is null ? Sweep.Empty : Axes(path, "repeat", root["repeat"]);
        var results = root["results"] switch
        {
            null => Path.ChangeExtension(Path.GetFileName(path), ".csv"),
            JsonValue v when v.TryGetValue<string>(out var file) => file,
            _ => throw new InvalidDataException($"{path}: field 'results' must be a CSV path."),
        };
        var after = root["after"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var file) && file.Length > 0 => Path.GetFullPath(Path.Combine(folder, file)),
            _ => throw new InvalidDataException($"{path}: field 'after' must be the path of a sweep file whose points run first."),
        };
        if (after is not null && !File.Exists(after))
            throw new InvalidDataException($"{path}: field 'after' names {after}, which does not exist (a path relative to this sweep file).");
        if (after is not null && string.Equals(after, Path.GetFullPath(path), StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: field 'after' names this sweep file itself.");
        return new SweepFile(baseline, grid, Path.GetFullPath(Path.Combine(folder, results)))
        {
            Variations = points, Repeat = repeat, Source = path, After = after,
        };
    }

    static Sweep Axes(string path, string field, JsonNode? node)
    {
        if (node is not JsonObject axes || axes.Count == 0)
            throw new InvalidDataException($"{path}: field '{field}' must map field paths to lists of values.");
        return new Sweep(axes.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value is JsonArray { Count: > 0 } values
            ? values.Select(v => v?.DeepClone()!).ToImmutableArray()
            : throw new InvalidDataException($"{path}: field '{field}.{kv.Key}' must be a non-empty list of values.")));
    }

    static SweepVariation Variation(string path, int index, JsonNode? node)
    {
        var field = $"points[{index}]";
        if (node is not JsonObject point)
            throw new InvalidDataException($"{path}: field '{field}' must be {{\"name\": …, \"set\": {{\"field.path\": value}}}}.");
        if (point.Select(kv => kv.Key).FirstOrDefault(k => k is not ("name" or "set")) is { } unknown)
            throw new InvalidDataException($"{path}: field '{field}.{unknown}' is not a point field (name, set).");
        var name = point["name"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
            throw new InvalidDataException($"{path}: field '{field}.name' must be a short name without spaces or slashes (it becomes part of a folder name), got '{name}'.");
        if (point["set"] is not JsonObject set)
            throw new InvalidDataException($"{path}: field '{field}.set' must map field paths to values ({{}} for the baseline itself).");
        return new SweepVariation(name, set.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()));
    }
}
