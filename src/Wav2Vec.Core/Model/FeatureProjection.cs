using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="FeatureProjection"/> returns.</summary>
/// <param name="Projected">[B, T, hidden] input to the context network.</param>
/// <param name="ExtractFeatures">[B, T, C] the LayerNorm output, which feeds the quantizer (Hugging Face <c>extract_features</c>).</param>
public sealed record ProjectedFeatures(Tensor Projected, Tensor ExtractFeatures);

/// <summary>LayerNorm → Linear → dropout. Hugging Face name: <c>feature_projection.{layer_norm,projection}</c>.</summary>
public sealed class FeatureProjection : NamedModule
{
    readonly LayerNorm layerNorm;
    readonly Linear projection;
    readonly double eps;
    readonly double dropout;

    /// <summary>Maps conv_dim[-1] channels to hidden_size.</summary>
    public FeatureProjection(Wav2Vec2Config config) : base(nameof(FeatureProjection))
    {
        eps = config.LayerNormEps;
        dropout = config.FeatProjDropout;
        layerNorm = nn.LayerNorm(config.ConvOutputDim, eps);
        projection = nn.Linear(config.ConvOutputDim, config.HiddenSize);
        register_module("layer_norm", layerNorm);
        register_module("projection", projection);
    }

    /// <summary>The linear layer (for initialisation).</summary>
    public Linear Projection => projection;

    /// <summary>Conv features [B, T, C] → projected [B, T, hidden] and extract features [B, T, C].</summary>
    public ProjectedFeatures Forward(Tensor convFeatures)
    {
        var normed = Norms.LayerNorm(layerNorm, convFeatures, eps);
        using var scope = NewDisposeScope();
        var projected = Dropouts.Apply(Autocast.Linear(projection, normed), dropout, training);
        return new ProjectedFeatures(projected.MoveToOuterDisposeScope(), normed);
    }
}
