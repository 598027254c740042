using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Model;

namespace Wav2Vec.Checkpoints;

/// <summary>
/// A model directory's <c>preprocessor_config.json</c> (Hugging Face <c>Wav2Vec2FeatureExtractor</c>), of which the
/// framework reads one field: <c>do_normalize</c>, whether each waveform is standardised before the network.
/// A directory without the file is taken as not normalised.
/// </summary>
public static class PreprocessorConfig
{
    /// <summary>File name inside a model directory.</summary>
    public const string FileName = "preprocessor_config.json";

    /// <summary>The <c>do_normalize</c> of <paramref name="directory"/>, or null when it has no preprocessor config.</summary>
    public static bool? DoNormalize(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            return json.RootElement.TryGetProperty("do_normalize", out var value) && value.ValueKind == JsonValueKind.True;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Throws naming the description's <c>corpus.normalize</c> when the model in <paramref name="directory"/> was trained
    /// on differently standardised waveforms than <paramref name="normalize"/> says; a directory without a preprocessor
    /// config passes. <paramref name="source"/> names the model in the message (the directory, and the field it came from).
    /// </summary>
    public static void RequireSameNormalization(string directory, bool normalize, string source)
    {
        if (DoNormalize(directory) is not { } normalized || normalized == normalize) return;
        throw new ArgumentException($"field 'corpus.normalize' is {(normalize ? "true" : "false")}, but {source} was trained " +
                                    $"{(normalized ? "on" : "without")} standardised waveforms ({FileName}: do_normalize = {(normalized ? "true" : "false")}); " +
                                    $"set corpus.normalize to {(normalized ? "true" : "false")}.");
    }

    /// <summary>
    /// Writes the feature-extractor config of a model trained on 16 kHz mono audio, standardised when
    /// <paramref name="doNormalize"/> (attention masks are returned for layer-norm encoders, as Hugging Face does).
    /// </summary>
    public static void Write(string directory, bool doNormalize, Wav2Vec2Config config)
    {
        var json = new JsonObject
        {
            ["do_normalize"] = doNormalize,
            ["feature_extractor_type"] = "Wav2Vec2FeatureExtractor",
            ["feature_size"] = 1,
            ["padding_side"] = "right",
            ["padding_value"] = 0.0,
            ["return_attention_mask"] = config.UsesLayerNormEncoder,
            ["sampling_rate"] = 16000,
        };
        File.WriteAllText(Path.Combine(directory, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
