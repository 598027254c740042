using System.Globalization;
using System.Text.Json.Nodes;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Checkpoints;

/// <summary>What <see cref="ModelPackage.Pack"/> wrote.</summary>
/// <param name="Directory">The package folder.</param>
/// <param name="WeightBytes">Size of its <c>model.safetensors</c>.</param>
/// <param name="Parameters">Number of weights (elements of all tensors).</param>
/// <param name="Run">The run folder whose description and metrics were copied, or null when the checkpoint is not in one.</param>
public sealed record PackReport(string Directory, long WeightBytes, long Parameters, string? Run);

/// <summary>
/// A checkpoint made ready to ship in a repository's <c>models/</c> folder: the Hugging Face directory (config.json,
/// model.safetensors, preprocessor and tokenizer files) with its floating-point weights stored in a smaller dtype
/// (bfloat16 halves float32), the run's <c>experiment.json</c> and <c>metrics.csv</c> beside it, and a README that says
/// how it was made and how to make it again. Loading casts weights to the model's dtype, so a float32 model loaded from
/// the package holds the original weights rounded to bfloat16.
/// </summary>
public static class ModelPackage
{
    /// <summary>The run files copied beside the model.</summary>
    public static readonly IReadOnlyList<string> RunFiles = ["experiment.json", "metrics.csv"];

    /// <summary>The storage dtypes a package may use, by the names the command line takes.</summary>
    public static ScalarType ParseDType(string name) => name.ToLowerInvariant() switch
    {
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "half" => ScalarType.Float16,
        "float32" or "fp32" or "float" => ScalarType.Float32,
        _ => throw new ArgumentException($"dtype '{name}' is not a storage dtype for weights; use bfloat16, float16 or float32."),
    };

    /// <summary>
    /// Writes the model in <paramref name="checkpoint"/> (a run's <c>best/</c>, <c>final/</c> or <c>checkpoints/step-N/</c>,
    /// or any Hugging Face directory) to <paramref name="outDirectory"/> with floating-point weights in
    /// <paramref name="dtype"/>. The run folder is the nearest parent holding <c>experiment.json</c>.
    /// </summary>
    public static PackReport Pack(string checkpoint, string outDirectory, ScalarType dtype = ScalarType.BFloat16)
    {
        if (Path.GetFullPath(checkpoint) == Path.GetFullPath(outDirectory))
            throw new ArgumentException($"{outDirectory}: the package must go to another folder than the checkpoint it is made from.");
        var config = Wav2Vec2Config.Load(Wav2Vec2Checkpoint.RequiredFile(checkpoint, "config.json", "a model directory holds config.json and its weights"));
        TorchRuntime.Initialize();
        var tensors = StateDictFile.Read(Wav2Vec2Checkpoint.WeightFile(checkpoint));
        Directory.CreateDirectory(outDirectory);
        long parameters;
        var weights = Path.Combine(outDirectory, StateDictFile.FileName(WeightFormat.Safetensors));
        try
        {
            var stored = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.is_floating_point() ? kv.Value.to(dtype) : kv.Value);
            parameters = stored.Values.Sum(t => t.numel());
            StateDictFile.Write(weights, stored, WeightFormat.Safetensors);
            foreach (var (name, t) in stored) if (!ReferenceEquals(t, tensors[name])) t.Dispose();
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        config.Save(Path.Combine(outDirectory, "config.json"));
        foreach (var name in Wav2Vec2Checkpoint.SidecarFiles) CopyIfPresent(checkpoint, outDirectory, name);
        var run = RunFolderOf(checkpoint);
        if (run is not null) foreach (var name in RunFiles) CopyIfPresent(run, outDirectory, name);
        var report = new PackReport(outDirectory, new FileInfo(weights).Length, parameters, run);
        File.WriteAllText(Path.Combine(outDirectory, "README.md"), Readme(report, config, dtype, checkpoint));
        return report;
    }

    /// <summary>The nearest folder at or above <paramref name="checkpoint"/> (at most two levels up) holding <c>experiment.json</c>, or null.</summary>
    public static string? RunFolderOf(string checkpoint)
    {
        var folder = new DirectoryInfo(Path.GetFullPath(checkpoint));
        for (var level = 0; folder is not null && level <= 2; level++, folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, RunFiles[0]))) return folder.FullName;
        return null;
    }

    /// <summary>
    /// The package's README: what the model is, how it is stored, how it was made and the two commands that make it
    /// again, with a section for what only a person can say about it.
    /// </summary>
    public static string Readme(PackReport package, Wav2Vec2Config config, ScalarType dtype, string checkpoint)
    {
        var name = Path.GetFileName(Path.GetFullPath(package.Directory).TrimEnd('/'));
        var here = Relative(package.Directory);
        var description = package.Run is { } r ? JsonNode.Parse(File.ReadAllText(Path.Combine(r, RunFiles[0])))!.AsObject() : null;
        var runName = description?["name"]?.GetValue<string>();
        var lines = new List<string>
        {
            $"# {name}",
            "",
            "A wav2vec 2.0 model in Hugging Face format, made with this repository's framework.",
            "",
            "| | |",
            "|---|---|",
            $"| architecture | {Architecture(config)} |",
            $"| parameters | {package.Parameters.ToString("N0", CultureInfo.InvariantCulture)} |",
            $"| weights | `model.safetensors`, {DTypeName(dtype)} ({package.WeightBytes / 1e6:0.0} MB); loading casts them to the model's dtype (float32) |",
            $"| packed from | `{Relative(checkpoint)}` |",
        };
        if (description is not null)
        {
            var corpus = description["corpus"];
            lines.Add($"| trained by | run `{runName}` (`experiment.json`, kind {description["kind"]}): {description["steps"]} steps on " +
                      $"`{corpus?["folder"]}` split `{corpus?["train"]}`, seed {description["seed"]}; its metrics log is `metrics.csv` |");
        }
        lines.AddRange(["", "## Use", "",
            $"Fine-tune it with a fine-tuning description whose `\"pretrained\"` is `\"{here}\"`:", "",
            "```bash", $"./wav2vec finetune DESCRIPTION.json     # \"pretrained\": \"{here}\"", "```", ""]);
        if (description is not null)
            lines.AddRange(["## Make it again", "",
                "```bash",
                $"./wav2vec run {here}/experiment.json",
                $"./wav2vec model pack runs/{runName}/{Path.GetRelativePath(package.Run!, Path.GetFullPath(checkpoint))} --out {here} --dtype {DTypeName(dtype)}",
                "```", ""]);
        lines.AddRange(["## Notes", "", "<!-- What it learned, how it fine-tunes, and where the numbers are (docs/results.md). -->", ""]);
        return string.Join('\n', lines);
    }

    static string Architecture(Wav2Vec2Config c) =>
        $"{c.NumFeatExtractLayers} conv blocks × {c.ConvDim[0]} channels ({c.FeatExtractNorm} norm), {c.NumHiddenLayers} Transformer layers × " +
        $"{c.HiddenSize} ({c.NumAttentionHeads} heads, feed-forward {c.IntermediateSize}), {c.NumCodevectorGroups} × {c.NumCodevectorsPerGroup} codes";

    static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };

    static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path));

    static void CopyIfPresent(string from, string to, string name)
    {
        var source = Path.Combine(from, name);
        if (File.Exists(source)) File.Copy(source, Path.Combine(to, name), overwrite: true);
    }
}
