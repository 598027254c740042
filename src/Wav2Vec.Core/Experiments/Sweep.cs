using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec.Experiments;

/// <summary>One point of a sweep: the description to run and the field values that distinguish it.</summary>
/// <typeparam name="T">The experiment description type.</typeparam>
/// <param name="Description">What the point runs.</param>
/// <param name="Assignment">The fields it sets (dotted paths) and their values as JSON text.</param>
public sealed record SweepPoint<T>(T Description, ImmutableSortedDictionary<string, string> Assignment)
{
    /// <summary>A short name built from the assignment, e.g. <c>masking.prob=0.3,seed=2</c>.</summary>
    public string Label => string.Join(",", Assignment.Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>The point's readable name within its sweep (<c>00</c>, <c>k50</c>, <c>k50-seed2</c>); its run is <c>BASELINE-NAME</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>The factor the point's steps were multiplied by for a quick look (1: as described).</summary>
    public double Scale { get; init; } = 1;
}

/// <summary>
/// A grid over any fields of a description: each key is a dotted path of JSON property names
/// (<c>masking.prob</c>, <c>model.num_codevector_groups</c>), each value the list of values to try.
/// Expansion is the Cartesian product, in key order then value order.
/// </summary>
public sealed record Sweep(ImmutableSortedDictionary<string, ImmutableArray<JsonNode>> Grid)
{
    /// <summary>The grid of no fields (it expands to the baseline alone).</summary>
    public static readonly Sweep Empty = new(ImmutableSortedDictionary<string, ImmutableArray<JsonNode>>.Empty);

    /// <summary>Number of descriptions the grid expands to.</summary>
    public int Count => Grid.Values.Aggregate(1, (n, values) => n * values.Length);

    /// <summary>
    /// Expands the grid over <paramref name="baseline"/>: serialises it, sets each path, deserialises.
    /// A path that names no field of the baseline is an error naming the path.
    /// </summary>
    public IEnumerable<SweepPoint<T>> Expand<T>(T baseline, JsonSerializerOptions options)
    {
        var root = FieldPath.Serialize(baseline, options);
        foreach (var (path, missing) in FieldPath.Unknown(root, Grid.Keys))
            throw new ArgumentException($"Sweep field '{path}': '{missing}' is not a field of the description.");
        foreach (var (key, values) in Grid)
            if (values.IsDefaultOrEmpty) throw new ArgumentException($"Sweep field '{key}' has no values.");
        return Product(Grid.ToList()).Select(assignment => new SweepPoint<T>(
            FieldPath.Apply(baseline, assignment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)), options),
            assignment.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value?.ToJsonString() ?? "null")));
    }

    static IEnumerable<List<KeyValuePair<string, JsonNode>>> Product(List<KeyValuePair<string, ImmutableArray<JsonNode>>> axes)
    {
        IEnumerable<List<KeyValuePair<string, JsonNode>>> acc = [[]];
        foreach (var (key, values) in axes)
            acc = acc.SelectMany(prefix => values.Select(v => new List<KeyValuePair<string, JsonNode>>(prefix) { new(key, v) })).ToList();
        return acc;
    }
}
