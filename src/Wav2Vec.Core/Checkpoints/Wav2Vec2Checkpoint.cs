using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Checkpoints;

/// <summary>A model read from a checkpoint directory, with what the load did.</summary>
public sealed record LoadedModel<TModel>(TModel Model, Wav2Vec2Config Config, LoadReport Report, string Directory);

/// <summary>
/// Hugging Face model directories: <c>config.json</c>, <c>model.safetensors</c> or <c>pytorch_model.bin</c>, and
/// tokenizer/feature-extractor files such as <c>vocab.json</c>, which are copied along when saving.
/// </summary>
public static partial class Wav2Vec2Checkpoint
{
    /// <summary>Files besides config and weights that belong to a model directory and travel with it.</summary>
    public static readonly string[] SidecarFiles =
        ["vocab.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "preprocessor_config.json"];

    /// <summary>The weight file of <paramref name="directory"/>: model.safetensors if present, else pytorch_model.bin.</summary>
    public static string WeightFile(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model directory not found: {directory}");
        foreach (var format in new[] { WeightFormat.Safetensors, WeightFormat.PyTorch })
        {
            var path = Path.Combine(directory, StateDictFile.FileName(format));
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"{directory} holds neither model.safetensors nor pytorch_model.bin (sharded checkpoints are not supported); " +
            $"found: {string.Join(", ", Directory.EnumerateFiles(directory).Select(Path.GetFileName))}.");
    }

    /// <summary>
    /// The path of <paramref name="name"/> in the model directory <paramref name="directory"/>; a missing directory or
    /// file is a <see cref="FileNotFoundException"/> that says which, and <paramref name="why"/> the file is needed.
    /// </summary>
    public static string RequiredFile(string directory, string name, string why)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path)) return path;
        throw new FileNotFoundException(Directory.Exists(directory) ? $"{directory}: no {name}; {why}." : $"{directory}: no such model directory.", path);
    }

    /// <summary>A CTC model from <paramref name="directory"/>; a pre-training checkpoint gives a fresh lm_head (see the report).</summary>
    public static LoadedModel<Wav2Vec2ForCtc> LoadCtc(string directory, KeyMatching matching = KeyMatching.SharedNetwork,
        string? weightFile = null, bool allowUnknownKeys = false) =>
        Load(directory, matching, weightFile, config => new Wav2Vec2ForCtc(config), allowUnknownKeys);

    /// <summary>
    /// A pre-training model from <paramref name="directory"/>, with quantized targets unless <paramref name="continuousTargets"/>;
    /// a CTC checkpoint (or one of the other kind of targets) gives fresh heads, listed in the report.
    /// </summary>
    public static LoadedModel<Wav2Vec2ForPreTraining> LoadPreTraining(string directory, KeyMatching matching = KeyMatching.SharedNetwork,
        string? weightFile = null, bool allowUnknownKeys = false, bool continuousTargets = false) =>
        Load(directory, matching, weightFile, config => new Wav2Vec2ForPreTraining(config, continuousTargets), allowUnknownKeys);

    /// <summary>
    /// Builds a model of <paramref name="directory"/>'s config and loads <paramref name="weightFile"/> (default:
    /// <see cref="WeightFile"/>) into it. The config is checked (bounds, and weights against the memory available)
    /// and the weight file's header validated before anything is allocated; tensors that belong to no wav2vec 2.0
    /// model are an error unless <paramref name="allowUnknownKeys"/>. With <paramref name="keepBottomLayers"/>,
    /// <paramref name="create"/> may build fewer Transformer layers than the file holds: the file's layers above the
    /// model's are left out (Transformer truncation).
    /// </summary>
    public static LoadedModel<TModel> Load<TModel>(string directory, KeyMatching matching, string? weightFile,
        Func<Wav2Vec2Config, TModel> create, bool allowUnknownKeys = false, bool keepBottomLayers = false) where TModel : nn.Module
    {
        var config = Wav2Vec2Config.Load(RequiredFile(directory, "config.json", "a model directory holds config.json and model.safetensors or pytorch_model.bin"));
        var path = weightFile ?? WeightFile(directory);
        var model = create(config);
        var tensors = StateDictFile.Read(path);
        try
        {
            var report = StateDictLoader.Load(model, keepBottomLayers ? WithoutLayers(tensors, TransformerLayers(model.state_dict().Keys), config.NumHiddenLayers) : tensors,
                path, matching, allowUnknownKeys);
            model.eval();
            return new LoadedModel<TModel>(model, config, report, directory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [GeneratedRegex(@"(?:^|\.)encoder\.layers\.(\d+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex LayerKey();

    /// <summary>The index of the Transformer layer a state-dict key belongs to, or null.</summary>
    static int? LayerOf(string key) => LayerKey().Match(key) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    static int TransformerLayers(IEnumerable<string> keys) => keys.Select(LayerOf).Max() is { } top ? top + 1 : 0;

    /// <summary>
    /// <paramref name="tensors"/> without those of Transformer layers <paramref name="from"/> to <paramref name="to"/> − 1
    /// (a tensor of a layer beyond the directory's own config stays, and so stays an error).
    /// </summary>
    static Dictionary<string, Tensor> WithoutLayers(IReadOnlyDictionary<string, Tensor> tensors, int from, int to) =>
        tensors.Where(kv => LayerOf(kv.Key) is not { } i || i < from || i >= to).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Names of <paramref name="model"/>'s parameters holding a NaN or infinite value (empty when all are finite).</summary>
    public static IReadOnlyList<string> NonFiniteParameters(nn.Module model)
    {
        using var _ = no_grad();
        return model.named_parameters().Where(p => !p.parameter.isfinite().all().item<bool>()).Select(p => p.name).ToList();
    }

    /// <summary>
    /// <paramref name="config"/> naming <paramref name="model"/>'s Hugging Face class in <c>architectures</c>, as
    /// transformers' save_pretrained does, so AutoModel picks the right head.
    /// </summary>
    public static Wav2Vec2Config WithArchitecture(Wav2Vec2Config config, nn.Module model)
    {
        var name = model switch
        {
            Wav2Vec2ForCtc => "Wav2Vec2ForCTC",
            // A BEST-RQ checkpoint loads in transformers as Wav2Vec2ForPreTraining with a fresh quantizer (best_rq.* ignored).
            Wav2Vec2ForPreTraining or Wav2Vec2ForBestRq => "Wav2Vec2ForPreTraining",
            _ => "Wav2Vec2Model",
        };
        return config with { Extra = new(config.Extra) { ["architectures"] = JsonSerializer.SerializeToElement(new[] { name }) } };
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a Hugging Face directory: config.json (<paramref name="config"/>, unknown
    /// fields kept, <c>architectures</c> set), the weights in <paramref name="format"/>, and the sidecar files of <paramref name="copyFrom"/>.
    /// </summary>
    public static void Save(nn.Module model, Wav2Vec2Config config, string directory,
        WeightFormat format = WeightFormat.Safetensors, string? copyFrom = null)
    {
        Directory.CreateDirectory(directory);
        WithArchitecture(config, model).Save(Path.Combine(directory, "config.json"));
        StateDictFile.Write(Path.Combine(directory, StateDictFile.FileName(format)), model.state_dict(), format);
        if (copyFrom is null || Path.GetFullPath(copyFrom) == Path.GetFullPath(directory)) return;
        foreach (var name in SidecarFiles)
        {
            var source = Path.Combine(copyFrom, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(directory, name), overwrite: true);
        }
    }
}
