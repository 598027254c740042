using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>How a feature-encoder conv block normalises its output.</summary>
public enum ConvBlockNorm
{
    /// <summary>No normalisation (group-norm encoders, blocks 1…6).</summary>
    None,
    /// <summary>GroupNorm with one group per channel over the whole time axis (group-norm encoders, block 0).</summary>
    Group,
    /// <summary>LayerNorm over channels at every frame (layer-norm encoders, every block).</summary>
    Layer,
}

/// <summary>
/// One feature-encoder block: Conv1d (no padding) → norm → activation.
/// State-dict names: <c>conv.weight</c>, <c>conv.bias</c> (with conv_bias), <c>layer_norm.{weight,bias}</c>.
/// </summary>
public sealed class ConvBlock : NamedModule
{
    readonly Conv1d conv;
    readonly GroupNorm? groupNorm;
    readonly LayerNorm? layerNorm;
    readonly long channels;
    readonly double eps;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>A block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBlock(long inChannels, long outChannels, long kernel, long stride, bool bias, ConvBlockNorm norm, double eps, string activation)
        : base(nameof(ConvBlock))
    {
        channels = outChannels;
        this.eps = eps;
        this.activation = Activations.Get(activation);
        conv = nn.Conv1d(inChannels, outChannels, kernel, stride, bias: bias);
        register_module("conv", conv);
        if (norm == ConvBlockNorm.Group)
        {
            groupNorm = Torch.Layers.GroupNorm(outChannels, outChannels, eps);
            register_module("layer_norm", groupNorm);
        }
        else if (norm == ConvBlockNorm.Layer)
        {
            layerNorm = nn.LayerNorm(outChannels, eps);
            register_module("layer_norm", layerNorm);
        }
    }

    /// <summary>The conv layer (for initialisation).</summary>
    public Conv1d Conv => conv;

    /// <summary>[B, C_in, L] → [B, C_out, ⌊(L − k)/s⌋ + 1].</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv.forward(x);
        if (groupNorm is not null) y = Norms.GroupNorm(groupNorm, channels, y, eps);
        if (layerNorm is not null) y = Norms.LayerNorm(layerNorm, y.transpose(1, 2), eps).transpose(1, 2);
        return activation(y).MoveToOuterDisposeScope();
    }
}
