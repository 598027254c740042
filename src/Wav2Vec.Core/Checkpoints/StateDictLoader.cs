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
    /// </summary>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, KeyMatching matching)
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
