using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Wav2Vec.Model;

namespace Wav2Vec.Experiments;

/// <summary>
/// Reads an experiment's <c>model</c> field as either a full Hugging Face config or a preset with overrides:
/// <c>{"preset": "tiny", "num_hidden_layers": 2}</c> starts from <see cref="Wav2Vec2Presets"/> and overlays the other
/// fields (HF names). Writes the resolved, full config, so a saved description needs no code to reproduce.
/// </summary>
public sealed class ModelConfigJson : JsonConverter<Wav2Vec2Config>
{
    /// <summary>Preset names accepted in <c>"preset"</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Wav2Vec2Config>> Presets =
        new Dictionary<string, Func<Wav2Vec2Config>>(StringComparer.OrdinalIgnoreCase)
        {
            ["tiny"] = () => Wav2Vec2Presets.Tiny(),
            ["small"] = () => Wav2Vec2Presets.Small(),
            ["base"] = () => Wav2Vec2Presets.Base(),
            ["large"] = () => Wav2Vec2Presets.Large(),
            ["large-lv60"] = () => Wav2Vec2Presets.LargeLv60(),
        };

    /// <summary>The config a preset name stands for; an unknown name is an error listing the known ones.</summary>
    public static Wav2Vec2Config Preset(string name) =>
        Presets.TryGetValue(name, out var make)
            ? make()
            : throw new ArgumentException($"model.preset '{name}' is unknown: use one of {string.Join(", ", Presets.Keys)}.");

    /// <inheritdoc />
    public override Wav2Vec2Config Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject
                   ?? throw new JsonException("model must be an object: a Hugging Face config or {\"preset\": NAME, ...overrides}.");
        if (node.Select(kv => kv.Key).FirstOrDefault(key => key != "preset" && !Wav2Vec2Config.KnownFields.Contains(key)) is { } unknown)
            throw new ArgumentException($"field 'model.{unknown}' is not a Hugging Face Wav2Vec2Config field (names as in config.json, e.g. 'num_hidden_layers').");
        if (node["preset"] is { } preset)
        {
            var baseConfig = JsonNode.Parse(Preset(preset.GetValue<string>()).ToJson())!.AsObject();
            foreach (var (key, value) in node.Where(kv => kv.Key != "preset").ToList())
                baseConfig[key] = value?.DeepClone();
            node = baseConfig;
        }
        return Wav2Vec2Config.FromJson(node.ToJsonString(), "model");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Wav2Vec2Config value, JsonSerializerOptions options) =>
        JsonNode.Parse(value.ToJson())!.WriteTo(writer);
}
