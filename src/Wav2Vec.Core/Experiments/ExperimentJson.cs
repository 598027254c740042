using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Wav2Vec.Experiments;

/// <summary>
/// Experiment descriptions as JSON (<c>experiments/*.json</c>): camelCase fields, a <c>"kind"</c> naming the
/// <see cref="ExperimentDescription"/> type (<c>pretrain</c> or <c>finetune</c>), the model in Hugging Face field
/// names. Unknown fields are errors that name the field, so a typo never silently falls back to a default.
/// </summary>
public static class ExperimentJson
{
    /// <summary>The field that names a description's type.</summary>
    public const string KindField = "kind";

    /// <summary>Serializer options for descriptions (also what <see cref="Sweep"/> uses).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowOutOfOrderMetadataProperties = true,
    };

    /// <summary>Every <c>kind</c> with its description type, as <see cref="ExperimentDescription"/> declares them.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Kinds = typeof(ExperimentDescription)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType);

    /// <summary>Reads and validates a description; <paramref name="source"/> names the file in errors.</summary>
    public static ExperimentDescription Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        var kinds = string.Join(" or ", Kinds.Keys);
        var kind = root[KindField] is JsonValue v && v.TryGetValue<string>(out var text) ? text
            : throw new InvalidDataException($"{source}: field '{KindField}' is missing ({kinds}).");
        if (!Kinds.ContainsKey(kind)) throw new InvalidDataException($"{source}: field '{KindField}' is '{kind}', not {kinds}.");
        ExperimentDescription description;
        try
        {
            description = root.Deserialize<ExperimentDescription>(Options) ?? throw new InvalidDataException($"{source}: empty description.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {Describe(e)}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        return description.Validate(source);
    }

    /// <summary>Reads the description in <paramref name="path"/>.</summary>
    public static ExperimentDescription Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new FileNotFoundException($"{path}: no such experiment file.", path);

    /// <summary>Reads a description of a known kind; another kind is an error naming the file.</summary>
    public static T Load<T>(string path) where T : ExperimentDescription =>
        Load(path) as T ?? throw new InvalidDataException($"{path}: not a {Kinds.Single(k => k.Value == typeof(T)).Key} experiment.");

    /// <summary>The JSON text of a description, <c>"kind"</c> first.</summary>
    public static string Serialize(ExperimentDescription description) => JsonSerializer.Serialize(description, Options);

    /// <summary>Writes a description to <paramref name="path"/>.</summary>
    public static void Save(ExperimentDescription description, string path)
    {
        Sinks.AtomicFile.WriteAllText(path, Serialize(description) + "\n");
    }

    static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 2 } p ? p[2..] : null;
        return path is null ? e.Message : $"field '{path}': {e.Message}";
    }
}
