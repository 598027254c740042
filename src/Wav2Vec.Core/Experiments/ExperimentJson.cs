using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Wav2Vec.Experiments;

/// <summary>
/// Experiment descriptions as JSON (<c>experiments/*.json</c>): camelCase fields, a <c>"kind"</c> of
/// <c>pretrain</c> or <c>finetune</c>, the model in Hugging Face field names. Unknown fields are errors that name
/// the field, so a typo never silently falls back to a default.
/// </summary>
public static class ExperimentJson
{
    /// <summary>Serializer options for descriptions (also what <see cref="Sweep"/> uses).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Reads a description; <paramref name="source"/> names the file in errors.</summary>
    public static object Parse(string json, string source)
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
        var kind = root["kind"]?.GetValue<string>()
                   ?? throw new InvalidDataException($"{source}: field 'kind' is missing (pretrain or finetune).");
        root.Remove("kind");
        var type = kind switch
        {
            "pretrain" => typeof(PretrainExperiment),
            "finetune" => typeof(FinetuneExperiment),
            _ => throw new InvalidDataException($"{source}: field 'kind' is '{kind}', not pretrain or finetune."),
        };
        object description;
        try
        {
            description = root.Deserialize(type, Options) ?? throw new InvalidDataException($"{source}: empty description.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {Describe(e)}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        return description switch
        {
            PretrainExperiment p => ExperimentValidation.Check(p, source),
            FinetuneExperiment f => ExperimentValidation.Check(f, source),
            _ => description,
        };
    }

    /// <summary>Reads the description in <paramref name="path"/>.</summary>
    public static object Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new FileNotFoundException($"{path}: no such experiment file.", path);

    /// <summary>Reads a description of a known kind; another kind is an error naming the file.</summary>
    public static T Load<T>(string path) where T : class =>
        Load(path) as T ?? throw new InvalidDataException($"{path}: not a {KindOf(typeof(T))} experiment.");

    /// <summary>The JSON text of a description, <c>"kind"</c> first.</summary>
    public static string Serialize(object description)
    {
        var node = JsonSerializer.SerializeToNode(description, description.GetType(), Options)!.AsObject();
        var ordered = new JsonObject { ["kind"] = KindOf(description.GetType()) };
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            ordered[key] = value;
        }
        return ordered.ToJsonString(Options);
    }

    /// <summary>Writes a description to <paramref name="path"/>.</summary>
    public static void Save(object description, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Serialize(description) + "\n");
    }

    static string KindOf(Type type) =>
        type == typeof(PretrainExperiment) ? "pretrain"
        : type == typeof(FinetuneExperiment) ? "finetune"
        : throw new ArgumentException($"{type.Name} is not an experiment description.");

    static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 2 } p ? p[2..] : null;
        return path is null ? e.Message : $"field '{path}': {e.Message}";
    }
}
