using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Relative positional embedding (paper §2, "Contextualized representations"): a weight-normed grouped conv
/// (kernel 128, 16 groups for BASE) with padding K/2; an even kernel yields one frame too many, and the last one
/// is dropped; then the activation. Hugging Face name: <c>pos_conv_embed.conv.{weight_g,weight_v,bias}</c>.
/// </summary>
public sealed class PositionalConvEmbedding : NamedModule
{
    readonly WeightNormConv1d conv;
    readonly bool dropLast;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>The embedding for hidden_size channels with <c>num_conv_pos_embeddings</c> taps.</summary>
    public PositionalConvEmbedding(Wav2Vec2Config config) : base(nameof(PositionalConvEmbedding))
    {
        var kernel = config.NumConvPosEmbeddings;
        conv = new WeightNormConv1d(config.HiddenSize, kernel, kernel / 2, config.NumConvPosEmbeddingGroups);
        register_module("conv", conv);
        dropLast = kernel % 2 == 0;
        activation = Activations.Get(config.FeatExtractActivation);
    }

    /// <summary>The weight-normed conv (for initialisation).</summary>
    public WeightNormConv1d Conv => conv;

    /// <summary>[B, T, hidden] → positional term [B, T, hidden] to add to the input.</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv.Forward(x.transpose(1, 2));
        if (dropLast) y = y.narrow(2, 0, y.shape[2] - 1);
        return activation(y).transpose(1, 2).MoveToOuterDisposeScope();
    }
}
