using Wav2Vec.Model;

namespace Wav2Vec.Bench;

/// <summary>Floating-point operations of one layer of the forward pass (2 per multiply-add).</summary>
public sealed record LayerFlops(string Layer, double Flops);

/// <summary>
/// FLOPs of a CTC model's forward pass on one utterance, layer by layer: the convolutions and matrix products
/// (2 per multiply-add). Norms, activations, softmax and bias additions are linear in the activations' size and
/// left out, as in the usual model FLOP counts.
/// </summary>
public static class FlopCount
{
    /// <summary>The layers of <paramref name="config"/> (CTC head included) for one utterance of <paramref name="samples"/> samples.</summary>
    public static IReadOnlyList<LayerFlops> Forward(Wav2Vec2Config config, long samples)
    {
        var layers = new List<LayerFlops>();
        long length = samples, channels = 1;
        for (var i = 0; i < config.NumFeatExtractLayers; i++)
        {
            length = (length - config.ConvKernel[i]) / config.ConvStride[i] + 1;
            layers.Add(new($"conv {i}", 2.0 * length * config.ConvDim[i] * channels * config.ConvKernel[i]));
            channels = config.ConvDim[i];
        }
        long frames = length, d = config.HiddenSize, k = config.NumConvPosEmbeddings;
        layers.Add(new("feature projection", 2.0 * frames * channels * d));
        // Padding K/2 on both sides computes T + 2·(K/2) − K + 1 frames (one extra, dropped, for an even K).
        var positional = frames + 2 * (k / 2) - k + 1;
        layers.Add(new("positional conv", 2.0 * positional * d * (d / config.NumConvPosEmbeddingGroups) * k));
        for (var n = 0; n < config.NumHiddenLayers; n++)
        {
            layers.Add(new($"layer {n} attention projections", 4 * 2.0 * frames * d * d));
            layers.Add(new($"layer {n} attention scores and values", 2 * 2.0 * frames * frames * d));
            layers.Add(new($"layer {n} feed-forward", 2 * 2.0 * frames * d * config.IntermediateSize));
        }
        layers.Add(new("lm_head", 2.0 * frames * d * config.VocabSize));
        return layers;
    }

    /// <summary>Sum of <see cref="Forward"/>.</summary>
    public static double Total(Wav2Vec2Config config, long samples) => Forward(config, samples).Sum(l => l.Flops);
}
