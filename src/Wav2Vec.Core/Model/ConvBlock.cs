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
    /// [B, C_in, L] → [B, C_out, ⌊(L − k)/s⌋ + 1], in x's dtype; any input layout is accepted. The norm and the
    /// activation run on densely stored operands: the convolution's time-major product for the layer norm (over
    /// channels) and for a block without a norm, whose result is that product's transposed view; a channel-major copy
    /// for the group norm (each channel over time), whose result is channel-major. On the transposed view libtorch's
    /// CPU backward of GELU and of the group norm took 20–40× longer in bf16 (≈ 400 ms against 15 ms for 4 × 4 s at
    /// block 0): a Tiny CTC step with the encoder training took 491 ms instead of 215.
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var product = Convolve(x);                                            // [B, T, C_out], contiguous
        if (groupNorm is not null)
        {
            var channelMajor = product.transpose(1, 2).contiguous().unsqueeze(2);
            return activation(Norms.GroupNorm(groupNorm, channels, channelMajor, eps).squeeze(2)).MoveToOuterDisposeScope();
        }
        var y = layerNorm is null ? product : Norms.LayerNorm(layerNorm, product, eps);
        return activation(y).transpose(1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolution, written as a product of the overlapping time windows with the kernel: the windows are a
    /// view of the input, the product is one matrix multiplication whose output [B, T, C_out] is time-major, and its
    /// backward is a plain scatter-add of the windows. libtorch 2.10's oneDNN conv kernels gave wrong results
    /// (errors of order 1, NaN in bf16) for channel counts that are not multiples of 16, such as 24, on the AVX-512
    /// CPU this was measured on, in the forward and the backward, depending on the memory layout of the input and of
    /// the incoming gradient; this form does not go through them at all.
    /// </summary>
    Tensor Convolve(Tensor x)
    {
        var weight = Autocast.Like(conv.weight, x)!;
        var bias = Autocast.Like(conv.bias, x);
        var (batch, inChannels) = (x.shape[0], x.shape[1]);
        var windows = x.transpose(1, 2).unfold(1, kernel, stride);          // [B, T, C_in, k]
        var frames = windows.shape[1];
        return nn.functional.linear(windows.reshape(batch, frames, inChannels * kernel),
            weight.view(channels, inChannels * kernel), bias);               // [B, T, C_out]
    }
}
