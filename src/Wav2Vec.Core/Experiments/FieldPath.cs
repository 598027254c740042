using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Wav2Vec.Experiments;

/// <summary>
/// Dotted paths of JSON property names into a serialised description (<c>masking.prob</c>, <c>model.num_negatives</c>):
/// how sweeps name the fields they vary, whatever the description type.
/// </summary>
public static class FieldPath
{
    /// <summary>
    /// The object holding the path's last field and that field's name, or null with <paramref name="missing"/> set to
    /// the first part of <paramref name="path"/> that names no field.
    /// </summary>
    public static (JsonObject Parent, string Name)? Find(JsonNode root, string path, out string missing)
    {
        var parts = path.Split('.');
        var node = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if ((node as JsonObject)?[parts[i]] is not { } child)
            {
                missing = parts[i];
                return null;
            }
            node = child;
        }
        missing = parts[^1];
        if (node is not JsonObject parent || !parent.ContainsKey(parts[^1])) return null;
        missing = "";
        return (parent, parts[^1]);
    }

    /// <summary>
    /// <paramref name="value"/> as a JSON tree with its null fields written out, so a path may set a field the value
    /// leaves null (a fine-tuning description's <c>model</c> when it starts from <c>pretrained</c>).
    /// </summary>
    public static JsonNode Serialize<T>(T value, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToNode(value, new JsonSerializerOptions(options)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(type =>
            {
                foreach (var property in type.Properties) property.ShouldSerialize = null;
            }),
        }) ?? throw new ArgumentException("The baseline description serialised to null.");

    /// <summary>The value at <paramref name="path"/>, or null when the path names no field (or the field is null).</summary>
    public static JsonNode? Get(JsonNode root, string path) => Find(root, path, out _) is { } found ? found.Parent[found.Name] : null;

    /// <summary>
    /// <paramref name="baseline"/> with every path of <paramref name="values"/> set: serialise, set, deserialise. A path
    /// that names no field is an <see cref="ArgumentException"/> naming the path and the part at fault.
    /// </summary>
    public static T Apply<T>(T baseline, IEnumerable<KeyValuePair<string, JsonNode?>> values, JsonSerializerOptions options)
    {
        var root = Serialize(baseline, options);
        foreach (var (path, value) in values)
        {
            var (parent, name) = Find(root, path, out var missing)
                                 ?? throw new ArgumentException($"field '{path}': '{missing}' is not a field of the description.");
            parent[name] = value?.DeepClone();
        }
        return root.Deserialize<T>(options) ?? throw new ArgumentException("A sweep point deserialised to null.");
    }

    /// <summary>Every path of <paramref name="paths"/> that names no field of <paramref name="root"/>, with the part at fault.</summary>
    public static IEnumerable<(string Path, string Missing)> Unknown(JsonNode root, IEnumerable<string> paths) =>
        paths.Select(p => (Path: p, Found: Find(root, p, out var missing), Missing: missing))
            .Where(p => p.Found is null)
            .Select(p => (p.Path, p.Missing));

    /// <summary>
    /// The dotted path of the first field (in document order of <paramref name="a"/>, then <paramref name="b"/>'s
    /// extra fields) whose value differs between the two trees, or null when they are equal; an array differs as a whole.
    /// </summary>
    public static string? FirstDifference(JsonNode? a, JsonNode? b, string path = "")
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (var name in x.Select(p => p.Key).Concat(y.Select(p => p.Key).Where(k => !x.ContainsKey(k))))
                if (FirstDifference(x[name], y[name], path.Length == 0 ? name : $"{path}.{name}") is { } found) return found;
            return null;
        }
        return JsonNode.DeepEquals(a, b) ? null : path;
    }
}
