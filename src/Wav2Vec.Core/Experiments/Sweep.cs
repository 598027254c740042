using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec.Experiments;

/// <summary>One point of a sweep: the description to run and the field values that distinguish it.</summary>
/// <typeparam name="T">The experiment description type.</typeparam>
public sealed record SweepPoint<T>(T Description, ImmutableSortedDictionary<string, string> Assignment)
{
    /// <summary>A short name built from the assignment, e.g. <c>masking.prob=0.3,seed=2</c>.</summary>
    public string Label => string.Join(",", Assignment.Select(kv => $"{kv.Key}={kv.Value}"));
}

/// <summary>
/// A grid over any fields of a description: each key is a dotted path of JSON property names
/// (<c>masking.prob</c>, <c>model.num_codevector_groups</c>), each value the list of values to try.
/// Expansion is the Cartesian product, in key order then value order.
/// </summary>
public sealed record Sweep(ImmutableSortedDictionary<string, ImmutableArray<JsonNode>> Grid)
{
    /// <summary>Number of descriptions the grid expands to.</summary>
    public int Count => Grid.Values.Aggregate(1, (n, values) => n * values.Length);

    /// <summary>
    /// Expands the grid over <paramref name="baseline"/>: serialises it, sets each path, deserialises.
    /// A path that names no field of the baseline is an error naming the path.
    /// </summary>
    public IEnumerable<SweepPoint<T>> Expand<T>(T baseline, JsonSerializerOptions options)
    {
        var root = JsonSerializer.SerializeToNode(baseline, options)
                   ?? throw new ArgumentException("The baseline description serialised to null.");
        foreach (var path in Grid.Keys) Resolve(root, path);
        foreach (var (key, values) in Grid)
            if (values.IsDefaultOrEmpty) throw new ArgumentException($"Sweep field '{key}' has no values.");
        return Product(Grid.ToList()).Select(assignment =>
        {
            var node = root.DeepClone();
            foreach (var (path, value) in assignment)
            {
                var (parent, name) = Resolve(node, path);
                parent[name] = value.DeepClone();
            }
            var description = node.Deserialize<T>(options)
                              ?? throw new ArgumentException("A sweep point deserialised to null.");
            return new SweepPoint<T>(description, assignment.ToImmutableSortedDictionary(
                kv => kv.Key, kv => kv.Value.ToJsonString()));
        });
    }

    static IEnumerable<List<KeyValuePair<string, JsonNode>>> Product(List<KeyValuePair<string, ImmutableArray<JsonNode>>> axes)
    {
        IEnumerable<List<KeyValuePair<string, JsonNode>>> acc = [[]];
        foreach (var (key, values) in axes)
            acc = acc.SelectMany(prefix => values.Select(v => new List<KeyValuePair<string, JsonNode>>(prefix) { new(key, v) })).ToList();
        return acc;
    }

    static (JsonObject Parent, string Name) Resolve(JsonNode root, string path)
    {
        var parts = path.Split('.');
        var node = root;
        for (int i = 0; i < parts.Length - 1; i++)
            node = (node as JsonObject)?[parts[i]]
                   ?? throw new ArgumentException($"Sweep field '{path}': '{parts[i]}' is not a field of the description.");
        if (node is not JsonObject parent || !parent.ContainsKey(parts[^1]))
            throw new ArgumentException($"Sweep field '{path}': '{parts[^1]}' is not a field of the description.");
        return (parent, parts[^1]);
    }
}
