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
    readonly long channels, stride;
    readonly double eps;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>A block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBlock(long inChannels, long outChannels, long kernel, long stride, bool bias, ConvBlockNorm norm, double eps, string activation)
        : base(nameof(ConvBlock))
    {
        channels = outChannels;
        this.stride = stride;
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
        var y = Convolve(x);
        if (groupNorm is not null) y = Norms.GroupNorm(groupNorm, channels, y, eps);
        if (layerNorm is not null) y = Norms.LayerNorm(layerNorm, y.transpose(1, 2), eps).transpose(1, 2);
        return activation(y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The conv. oneDNN 3.7 (libtorch 2.10 under TorchSharp 0.107) on AVX-512 CPUs computes float32 conv1d wrongly (NaN
    /// at times) over more than one row for some input widths: the output when the width is above 16 and not a multiple
    /// of 16, the input gradient when the width rounded up to 16 is an odd multiple of 16 above 16 (48, 80, …). Widths
    /// that are multiples of 32 are right, so zero channels are added up to one; the sums are the same exactly and the
    /// pad's backward drops their gradient.
    /// </summary>
    Tensor Convolve(Tensor x)
    {
        var inChannels = x.shape[1];
        if (inChannels <= 16 || inChannels % 32 == 0) return conv.forward(x);
        var extra = 32 - inChannels % 32;
        return nn.functional.conv1d(nn.functional.pad(x, [0, 0, 0, extra]), nn.functional.pad(conv.weight!, [0, 0, 0, extra]),
            conv.bias, stride);
    }
}
