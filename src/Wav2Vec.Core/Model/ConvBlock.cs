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
    readonly long channels, kernel, stride;
    readonly double eps;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>A block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBlock(long inChannels, long outChannels, long kernel, long stride, bool bias, ConvBlockNorm norm, double eps, string activation)
        : base(nameof(ConvBlock))
    {
        channels = outChannels;
        this.kernel = kernel;
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

    /// <summary>
    /// [B, C_in, L] → [B, C_out, ⌊(L − k)/s⌋ + 1], in x's dtype. The result is stored time-major (channels last:
    /// the memory of a [B, L, C] tensor), the layout the next block, the norms and the feature projection read
    /// without copies; any input layout is accepted.
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = Convolve(x);
        if (groupNorm is not null) y = Norms.GroupNorm(groupNorm, channels, y.unsqueeze(2), eps).squeeze(2);
        if (layerNorm is not null) y = Norms.LayerNorm(layerNorm, y.transpose(1, 2), eps).transpose(1, 2);
        return activation(y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolution, written as a channels-last conv2d of height 1: oneDNN then reads and writes the time-major
    /// layout directly instead of reordering activations into its blocked layout and back around every conv; and
    /// libtorch 2.10's blocked-layout kernels gave wrong results (errors of order 1, NaN in bf16) for channel counts
    /// that are not multiples of 16, such as 24, on the AVX-512 CPU this was measured on. A single input channel (the waveform) is ambiguous to the layout detection, so the first block
    /// multiplies the overlapping windows by the kernel instead, which writes time-major output directly.
    /// </summary>
    Tensor Convolve(Tensor x)
    {
        var weight = Autocast.Like(conv.weight, x)!;
        var bias = Autocast.Like(conv.bias, x);
        if (x.shape[1] == 1)
            return nn.functional.linear(x.squeeze(1).unfold(1, kernel, stride), weight.view(channels, kernel), bias).transpose(1, 2);
        return nn.functional.conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, strides: [1, stride]).squeeze(2);
    }
}
