using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// One Transformer block. Post-LN (BASE, <c>do_stable_layer_norm = false</c>): x = LN(x + Attn(x)); x = LN'(x + FFN(x)).
/// Pre-LN (LARGE-LV60, "stable layer norm"): x = x + Attn(LN(x)); x = x + FFN(LN'(x)).
/// Hugging Face names: <c>attention</c>, <c>layer_norm</c>, <c>feed_forward</c>, <c>final_layer_norm</c>.
/// </summary>
public sealed class EncoderLayer : NamedModule
{
    readonly SelfAttention attention;
    readonly LayerNorm layerNorm, finalLayerNorm;
    readonly FeedForward feedForward;
    readonly bool preNorm;
    readonly double eps, dropout;

    /// <summary>A block of the form <paramref name="config"/>.do_stable_layer_norm selects.</summary>
    public EncoderLayer(Wav2Vec2Config config) : base(nameof(EncoderLayer))
    {
        preNorm = config.DoStableLayerNorm;
        eps = config.LayerNormEps;
        dropout = config.HiddenDropout;
        attention = new SelfAttention(config);
        layerNorm = nn.LayerNorm(config.HiddenSize, eps);
        feedForward = new FeedForward(config);
        finalLayerNorm = nn.LayerNorm(config.HiddenSize, eps);
        register_module("attention", attention);
        register_module("layer_norm", layerNorm);
        register_module("feed_forward", feedForward);
        register_module("final_layer_norm", finalLayerNorm);
    }

    /// <summary>The attention and feed-forward sub-modules (for initialisation).</summary>
    public (SelfAttention Attention, FeedForward FeedForward) Parts => (attention, feedForward);

    /// <summary>The block's two layer norms, <c>layer_norm</c> and <c>final_layer_norm</c> (for initialisation).</summary>
    public IReadOnlyList<LayerNorm> LayerNorms => [layerNorm, finalLayerNorm];

    /// <summary>[B, T, D] → [B, T, D]; <paramref name="keyMask"/> [B, T] marks real frames.</summary>
    public Tensor Forward(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        return Block(x, h => attention.Forward(h, keyMask)).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Forward"/> that also returns the block's attention probabilities [B, heads, T, T] (float32).</summary>
    public (Tensor Output, Tensor Attention) ForwardWithAttention(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        Tensor? probabilities = null;
        var y = Block(x, h =>
        {
            (var attended, probabilities) = attention.ForwardWithProbabilities(h, keyMask);
            return attended;
        });
        return (y.MoveToOuterDisposeScope(), probabilities!.MoveToOuterDisposeScope());
    }

    Tensor Block(Tensor x, Func<Tensor, Tensor> attend)
    {
        if (preNorm)
        {
            var y = x + Dropouts.Apply(attend(Norms.LayerNorm(layerNorm, x, eps)), dropout, training);
            return y + feedForward.Forward(Norms.LayerNorm(finalLayerNorm, y, eps));
        }
        var z = Norms.LayerNorm(layerNorm, x + Dropouts.Apply(attend(x), dropout, training), eps);
        return Norms.LayerNorm(finalLayerNorm, z + feedForward.Forward(z), eps);
    }
}
