using System.Collections.Immutable;
using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>One named variation of a sweep's baseline: <c>{"name": "k50", "set": {"model.num_negatives": 50}}</c>.</summary>
/// <param name="Name">Readable name, part of the run's folder name (<c>BASELINE-k50</c>).</param>
/// <param name="Set">The fields it sets (dotted paths) and their values; empty for the baseline itself.</param>
public sealed record SweepVariation(string Name, ImmutableSortedDictionary<string, JsonNode?> Set);

/// <summary>
/// A sweep: a baseline description, the points that vary it and where the results table goes. Points come from a
/// Cartesian <see cref="Sweep"/> grid (named <c>00</c>, <c>01</c>, …), from named <see cref="Variations"/> (one-at-a-time
/// changes), or both, grid first; <see cref="Repeat"/> crosses every point with more values (seeds). As JSON
/// (<see cref="Load"/>): <c>{"baseline": "pretrain.json", "grid": {…}, "points": [{"name": …, "set": {…}}], "repeat":
/// {"seed": [1, 2]}, "results": "results/x.csv"}</c>.
/// </summary>
/// <param name="Baseline">The description every point varies.</param>
/// <param name="Sweep">The grid (<see cref="Sweep.Empty"/> when the sweep has named points only).</param>
/// <param name="Results">CSV path for the results table.</param>
public sealed record SweepFile(ExperimentDescription Baseline, Sweep Sweep, string Results)
{
    /// <summary>Named variations of the baseline, run after the grid's points.</summary>
    public ImmutableArray<SweepVariation> Variations { get; init; } = [];

    /// <summary>Values every point is crossed with (e.g. <c>seed</c>: 1, 2, 3), in the grid's order; empty for none.</summary>
    public Sweep Repeat { get; init; } = Sweep.Empty;

    /// <summary>Where the sweep came from (its file), named in errors.</summary>
    public string Source { get; init; } = "sweep";

    /// <summary>
    /// The sweep file (full path) whose points run before this sweep's when the whole sweep runs — the pre-trainings its
    /// points fine-tune — or null. <see cref="Chain"/> lists the order.
    /// </summary>
    public string? After { get; init; }

    /// <summary>
    /// The sweeps a whole run of this one runs, in order: the <see cref="After"/> sweeps, deepest first, then this one.
    /// A cycle is an <see cref="InvalidDataException"/> naming the files.
    /// </summary>
    public IReadOnlyList<SweepFile> Chain()
    {
        var chain = new List<SweepFile> { this };
        var seen = new List<string> { System.IO.Path.GetFullPath(Source) };
        for (var sweep = this; sweep.After is { } after; )
        {
            if (seen.Contains(after))
                throw new InvalidDataException($"{Source}: field 'after' leads back to {after} ({string.Join(" → ", seen.Append(after))}); the sweeps must not wait for each other.");
            seen.Add(after);
            sweep = Load(after);
            chain.Insert(0, sweep);
        }
        return chain;
    }

    /// <summary>Reads a sweep file; errors name the file and the field.</summary>
    public static SweepFile Load(string path) => SweepFileJson.Read(path);

    /// <summary>
    /// The descriptions to run, in order (grid points, then named points, each crossed with <see cref="Repeat"/>), each
    /// named <c>BASELINE-NAME</c> and validated. <paramref name="scale"/> multiplies every point's steps for a quick look;
    /// scaled points run in their own folders (<c>BASELINE-NAME-scale0.25</c>), and a fine-tuning point whose pre-trained
    /// model lies in a run folder of the <see cref="After"/> sweep fine-tunes that point's scaled run instead.
    /// </summary>
    public IReadOnlyList<SweepPoint<ExperimentDescription>> Points(double scale = 1)
    {
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentException($"{Source}: the step scale must be positive, got {scale}.");
        CheckPaths();
        var options = ExperimentJson.Options;
        var grid = Sweep.Grid.IsEmpty
            ? []
            : Attempt("field 'grid'", () => Sweep.Expand(Baseline, options).Select((p, i) => p with { Name = i.ToString("D2", CultureInfo.InvariantCulture) }).ToList());
        var named = Variations.Select((v, i) => Attempt($"field 'points[{i}].set' ({v.Name})", () =>
            new SweepPoint<ExperimentDescription>(FieldPath.Apply(Baseline, v.Set, options), Texts(v.Set)) { Name = v.Name }));
        var points = grid.Concat(named).SelectMany(Repeated).Select(p => Named(p, scale)).ToList();
        if (After is not null && scale != 1)
        {
            var folders = Load(After).ScaledFolders(scale);
            points = points.Select(p => p.Description is FinetuneExperiment { Pretrained: { } from } f && Scaled(from, folders) is { } to
                ? p with { Description = f with { Pretrained = to } }
                : p).ToList();
        }
        if (points.GroupBy(p => p.Description.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"{Source}: field 'points': two points are named '{twice.First().Name}' (run {twice.Key}); give each a distinct name.");
        return points;
    }

    /// <summary>Every point's run folder at scale 1 mapped to its run folder at <paramref name="scale"/> (full paths).</summary>
    IReadOnlyDictionary<string, string> ScaledFolders(double scale) =>
        Points().Zip(Points(scale)).ToDictionary(p => Experiment.Folder(p.First.Description).Path, p => Experiment.Folder(p.Second.Description).Path);

    /// <summary>
    /// A model path inside one of the <see cref="After"/> sweep's run folders at scale 1, moved to the same place in that
    /// point's scaled run folder (a quick look fine-tunes the quick pre-trainings); null for any other path.
    /// </summary>
    static string? Scaled(string model, IReadOnlyDictionary<string, string> folders)
    {
        var full = System.IO.Path.GetFullPath(model).TrimEnd('/');
        return folders.FirstOrDefault(f => full == f.Key || full.StartsWith(f.Key + "/", StringComparison.Ordinal)) is { Key: { } unscaled, Value: { } scaled }
            ? scaled + full[unscaled.Length..]
            : null;
    }

    /// <summary>Point <paramref name="index"/> of <see cref="Points"/>; an index outside them is an <see cref="ArgumentOutOfRangeException"/> naming the file and the count.</summary>
    public SweepPoint<ExperimentDescription> Point(int index, double scale = 1)
    {
        var points = Points(scale);
        return index >= 0 && index < points.Count
            ? points[index]
            : throw new ArgumentOutOfRangeException(null, $"{Source}: point {index} does not exist; the sweep has {points.Count} points (0–{points.Count - 1}).");
    }

    /// <summary>A point's steps for a quick look at <paramref name="scale"/> of them (at least one).</summary>
    public static int ScaledSteps(int steps, double scale) => Math.Max(1, (int)Math.Round(steps * scale, MidpointRounding.AwayFromZero));

    /// <summary>Runs every unfinished point in turn (one at a time: they share the cores), resuming interrupted ones (<see cref="SweepRuns.Run"/>).</summary>
    public static IObservable<StepReport> RunAll(IEnumerable<SweepPoint<ExperimentDescription>> points) =>
        points.Select(p => SweepRuns.Run(p.Description)).Concat();

    /// <summary>The results table (<see cref="SweepTable"/>) of <paramref name="reports"/>: one row per point that reported.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Table(IReadOnlyList<SweepPoint<ExperimentDescription>> points, IEnumerable<StepReport> reports,
        out IReadOnlyList<string> header)
    {
        var table = SweepTable.Of(SweepResult.FromReports(points, reports));
        header = table.Header;
        return table.Rows;
    }

    /// <summary>Writes a table as CSV (atomically).</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        AtomicFile.WriteAllText(path, string.Concat(new[] { header }.Concat(rows).Select(r => string.Join(",", r.Select(CsvLog.Escape)) + "\n")));

    IEnumerable<SweepPoint<ExperimentDescription>> Repeated(SweepPoint<ExperimentDescription> point) =>
        Repeat.Grid.IsEmpty
            ? [point]
            : Attempt("field 'repeat'", () => Repeat.Expand(point.Description, ExperimentJson.Options).ToList())
                .Select(r => new SweepPoint<ExperimentDescription>(r.Description, point.Assignment.SetItems(r.Assignment))
                {
                    Name = point.Name + "-" + string.Concat(r.Assignment.Select(kv => kv.Key.Split('.')[^1] + kv.Value.Trim('"'))),
                });

    SweepPoint<ExperimentDescription> Named(SweepPoint<ExperimentDescription> p, double scale)
    {
        var suffix = scale == 1 ? "" : "-scale" + scale.ToString(CultureInfo.InvariantCulture);
        var label = p.Assignment.IsEmpty ? "" : $" ({p.Label})";
        var description = (p.Description with { Name = $"{Baseline.Name}-{p.Name}{suffix}" }).Validate($"{Source} point {p.Name}{label}");
        return p with { Description = description with { Steps = ScaledSteps(description.Steps, scale) }, Scale = scale };
    }

    /// <summary>Every path the sweep sets must name a field of the baseline, and the repeat must not fight the grid or a point.</summary>
    void CheckPaths()
    {
        var root = FieldPath.Serialize(Baseline, ExperimentJson.Options);
        var sets = new List<(string Field, IEnumerable<string> Paths)> { ("grid", Sweep.Grid.Keys), ("repeat", Repeat.Grid.Keys) };
        sets.AddRange(Variations.Select((v, i) => ($"points[{i}].set", (IEnumerable<string>)v.Set.Keys)));
        foreach (var (field, paths) in sets)
        foreach (var (path, missing) in FieldPath.Unknown(root, paths))
            throw new ArgumentException($"{Source}: field '{field}' sets '{path}', which is not a field of the description (no '{missing}').");
        foreach (var (field, paths) in sets.Where(s => s.Field != "repeat"))
            if (paths.FirstOrDefault(Repeat.Grid.ContainsKey) is { } both)
                throw new ArgumentException($"{Source}: field 'repeat' varies '{both}', which field '{field}' sets too.");
    }

    T Attempt<T>(string where, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidDataException && !e.Message.StartsWith(Source + ":", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{Source}: {where}: {e.Message}", e);
        }
    }

    static ImmutableSortedDictionary<string, string> Texts(ImmutableSortedDictionary<string, JsonNode?> set) =>
        set.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value?.ToJsonString() ?? "null");
}
