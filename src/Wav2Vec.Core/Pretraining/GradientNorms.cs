using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// L2 norms of the gradients per part of the model, from the parameters' <c>.grad</c> after <c>backward()</c>. The
/// global norm hides where the signal goes: a stuck run can have a healthy global norm carried by one part while the
/// quantizer or the feature encoder get nothing, and facebookresearch/fairseq#3109's stuck run shows a global norm of exactly 0.
/// </summary>
public static class GradientNorms
{
    /// <summary>A named part and the Hugging Face parameter-name prefix that selects it.</summary>
    public sealed record Part(string Name, string Prefix);

    /// <summary>Part names of <see cref="PretrainingParts"/> (and the catch-all <see cref="Other"/>).</summary>
    public const string FeatureEncoder = "feature_encoder", FeatureProjection = "feature_projection", Transformer = "transformer",
        MaskedSpecEmbed = "masked_spec_embed", Quantizer = "quantizer", ProjectHid = "project_hid", ProjectQ = "project_q",
        ProjectFeatures = "project_features", Other = "other";

    /// <summary>
    /// The parts of <see cref="Model.Wav2Vec2ForPreTraining"/>: CNN feature encoder, feature projection (LayerNorm +
    /// Linear), Transformer with its positional convolution, the learned mask embedding, the quantizer (weight_proj and
    /// code vectors), and the two projections into the contrastive space (<c>project_features</c> instead of the
    /// quantizer and <c>project_q</c> with continuous targets).
    /// </summary>
    public static IReadOnlyList<Part> PretrainingParts { get; } =
    [
        new(FeatureEncoder, "wav2vec2.feature_extractor."), new(FeatureProjection, "wav2vec2.feature_projection."),
        new(Transformer, "wav2vec2.encoder."), new(MaskedSpecEmbed, "wav2vec2.masked_spec_embed"),
        new(Quantizer, "quantizer."), new(ProjectHid, "project_hid."), new(ProjectQ, "project_q."),
        new(ProjectFeatures, Model.Wav2Vec2ForPreTraining.ProjectFeaturesName + "."),
    ];

    /// <summary>
    /// √(Σ ‖grad‖²) over the parameters of each part (the first prefix that matches a parameter's name wins; unmatched
    /// parameters form <see cref="Other"/>). A part none of whose parameters has a gradient (frozen, or not reached by
    /// this backward) is left out rather than reported as 0. Call after <c>backward()</c> and before clipping, which
    /// rescales the gradients in place; the parts' norms then combine to the global norm clipping reports.
    /// </summary>
    /// <param name="model">Any module; names are its <c>named_parameters()</c>.</param>
    /// <param name="parts">Parts by name prefix; <see cref="PretrainingParts"/> when null.</param>
    public static ImmutableSortedDictionary<string, double> ByPart(nn.Module model, IReadOnlyList<Part>? parts = null)
    {
        parts ??= PretrainingParts;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var squares = new Dictionary<string, List<Tensor>>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.grad is not { } grad) continue;
            var part = parts.FirstOrDefault(p => name.StartsWith(p.Prefix, StringComparison.Ordinal))?.Name ?? Other;
            if (!squares.TryGetValue(part, out var list)) squares[part] = list = [];
            list.Add(grad.to_type(ScalarType.Float64).square().sum());
        }
        return squares.ToImmutableSortedDictionary(
            p => p.Key, p => torch.stack(p.Value).sum().sqrt().cpu().item<double>(), StringComparer.Ordinal);
    }
}
