using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Checkpoints;

/// <summary>Copies a name → tensor map into a module's parameters with Hugging Face naming rules and strict checks.</summary>
public static class StateDictLoader
{
    /// <summary>Prefix of the shared network's tensors in the task models.</summary>
    public const string NetworkPrefix = "wav2vec2.";

    const string MaskEmbed = NetworkPrefix + "masked_spec_embed";

    /// <summary>
    /// The task heads' tensors of Hugging Face's <c>Wav2Vec2ForCTC</c> and <c>Wav2Vec2ForPreTraining</c>, and the
    /// continuous-targets projection <c>project_features</c> of this framework's <see cref="Model.Wav2Vec2ForPreTraining"/>.
    /// </summary>
    public static readonly IReadOnlySet<string> HeadTensors = new HashSet<string>(StringComparer.Ordinal)
    {
        "lm_head.weight", "lm_head.bias", "quantizer.codevectors", "quantizer.weight_proj.weight", "quantizer.weight_proj.bias",
        "project_q.weight", "project_q.bias", "project_hid.weight", "project_hid.bias", MaskEmbed,
        Model.Wav2Vec2ForPreTraining.ProjectFeaturesName + ".weight", Model.Wav2Vec2ForPreTraining.ProjectFeaturesName + ".bias",
    };

    /// <summary>
    /// Maps checkpoint names to this framework's: PyTorch ≥ 2.1 weight-norm parametrisations
    /// (<c>parametrizations.weight.original0/1</c>) become <c>weight_g</c>/<c>weight_v</c>, and a bare
    /// <c>Wav2Vec2Model</c> checkpoint (no <c>wav2vec2.</c> prefix anywhere) gets the prefix.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, List<string> Renamed) Normalize(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var bare = !tensors.Keys.Any(k => k.StartsWith(NetworkPrefix, StringComparison.Ordinal));
        var result = new Dictionary<string, Tensor>();
        var renamed = new List<string>();
        foreach (var (key, tensor) in tensors)
        {
            var name = key.Replace("parametrizations.weight.original0", "weight_g").Replace("parametrizations.weight.original1", "weight_v");
            if (bare) name = NetworkPrefix + name;
            if (name != key) renamed.Add($"{key} → {name}");
            result[name] = tensor;
        }
        return (result, renamed);
    }

    /// <summary>
    /// Loads <paramref name="tensors"/> (read from <paramref name="source"/>) into <paramref name="module"/>.
    /// Shapes must match exactly; floating-point tensors are converted to the parameter's dtype (as Hugging Face's
    /// <c>torch_dtype</c> does), any other dtype difference is an error naming the tensor. Copies are exact.
    /// A tensor that belongs to no wav2vec 2.0 model (neither the network nor one of <see cref="HeadTensors"/> nor a
    /// BEST-RQ tensor under <see cref="Model.Wav2Vec2ForBestRq.Prefix"/>) is an
    /// error unless <paramref name="allowUnknownKeys"/>, when it is ignored and listed in the report.
    /// </summary>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, KeyMatching matching,
        bool allowUnknownKeys = false)
    {
        var (file, renamed) = Normalize(tensors);
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !file.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = file.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        bool InNetwork(string k) => k.StartsWith(NetworkPrefix, StringComparison.Ordinal) && k != MaskEmbed;
        var fatalMissing = matching == KeyMatching.Strict ? missing : missing.Where(InNetwork).ToList();
        var fatalUnexpected = matching == KeyMatching.Strict ? unexpected : unexpected.Where(InNetwork).ToList();
        if (fatalMissing.Count > 0 || fatalUnexpected.Count > 0)
            throw new CheckpointMismatchException(
                $"{source} does not fit the model ({matching} key matching). " +
                $"Missing keys ({fatalMissing.Count}): [{string.Join(", ", fatalMissing)}]. " +
                $"Unexpected keys ({fatalUnexpected.Count}): [{string.Join(", ", fatalUnexpected)}].");
        var unknown = unexpected.Where(k => !HeadTensors.Contains(k) && !k.StartsWith(Model.Wav2Vec2ForBestRq.Prefix, StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0 && !allowUnknownKeys)
            throw new CheckpointMismatchException(
                $"{source} holds {unknown.Count} tensor(s) that belong to no wav2vec 2.0 model: [{string.Join(", ", unknown.Take(20))}" +
                $"{(unknown.Count > 20 ? ", …" : "")}]; load with allowUnknownKeys (command line: --allow-unknown-keys) to ignore them.");

        foreach (var (name, parameter) in target)
        {
            if (!file.TryGetValue(name, out var value)) continue;
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new CheckpointMismatchException(
                    $"{source}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], the model expects [{string.Join(", ", parameter.shape)}].");
            if (value.dtype != parameter.dtype && !(value.is_floating_point() && parameter.is_floating_point()))
                throw new CheckpointMismatchException($"{source}: tensor '{name}' has dtype {value.dtype}, the model expects {parameter.dtype}.");
        }
        var loaded = new List<string>();
        using (no_grad())
        {
            foreach (var (name, parameter) in target)
            {
                if (!file.TryGetValue(name, out var value)) continue;
                parameter.copy_(value);
                loaded.Add(name);
            }
        }
        return new LoadReport(source, loaded, missing, unexpected, renamed);
    }
}
