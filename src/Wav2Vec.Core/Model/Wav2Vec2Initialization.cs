using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Hugging Face's <c>_init_weights</c> for a fresh model, so that pre-training from scratch starts where theirs does:
/// Transformer linears N(0, initializer_range²) with zero bias, feature-projection linear U(±1/√fan_in), conv blocks
/// Kaiming-normal, positional conv N(0, (2/√(K·D))²), mask embedding U(0, 1). Norms start at 1 and 0.
/// </summary>
public static class Wav2Vec2Initialization
{
    /// <summary>Initialises every parameter of <paramref name="model"/> from the global (seeded) generator.</summary>
    public static void Apply(Wav2Vec2Model model)
    {
        using var _ = no_grad();
        var config = model.Config;
        foreach (var block in model.FeatureEncoder.Blocks)
        {
            var conv = block.Conv;
            nn.init.kaiming_normal_(conv.weight!);
            if (conv.bias is not null)
            {
                var k = Math.Sqrt(1.0 / (conv.weight!.shape[1] * conv.weight.shape[2]));
                nn.init.uniform_(conv.bias, -k, k);
            }
        }
        var projection = model.FeatureProjection.Projection;
        var bound = Math.Sqrt(1.0 / projection.weight!.shape[1]);
        nn.init.uniform_(projection.weight, -bound, bound);
        nn.init.uniform_(projection.bias!, -bound, bound);
        model.Encoder.PositionalEmbedding.Conv.Initialize(2 * Math.Sqrt(1.0 / (config.NumConvPosEmbeddings * config.HiddenSize)));
        foreach (var layer in model.Encoder.Layers) Layer(layer, config.InitializerRange);
        if (model.MaskedSpecEmbed is not null) nn.init.uniform_(model.MaskedSpecEmbed);
    }

    /// <summary>
    /// Draws the last <paramref name="count"/> Transformer layers of <paramref name="model"/> afresh from the global
    /// (seeded) generator, as <see cref="Apply"/> initialises them (linears N(0, initializer_range²) with zero bias, layer
    /// norms at 1 and 0), leaving everything else as it is.
    /// </summary>
    public static void ReinitializeTopLayers(Wav2Vec2Model model, int count)
    {
        var layers = model.Encoder.Layers;
        if (count < 0 || count > layers.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} layers cannot be re-initialised in a network of {layers.Count}.");
        foreach (var layer in layers.Skip(layers.Count - count)) Layer(layer, model.Config.InitializerRange);
    }

    /// <summary>One Transformer block as a fresh model has it: linears N(0, std²) with zero bias, layer norms at 1 and 0.</summary>
    static void Layer(EncoderLayer layer, double std)
    {
        using var _ = no_grad();
        foreach (var linear in layer.Parts.Attention.Projections.Concat(layer.Parts.FeedForward.Projections))
            Normal(linear, std);
        foreach (var norm in layer.LayerNorms)
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
    }

    /// <summary>N(0, std²) weight and zero bias, Hugging Face's rule for a task head.</summary>
    public static void Normal(Linear linear, double std)
    {
        using var _ = no_grad();
        nn.init.normal_(linear.weight!, 0, std);
        linear.bias?.zero_();
    }
}
