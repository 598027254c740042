using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="TransformerEncoder"/> returns.</summary>
/// <param name="HiddenStates">
/// num_hidden_layers + 1 tensors [B, T, D], indexed as Hugging Face's <c>hidden_states</c>: [0] is the input of layer 0
/// (post-LN: after the encoder LayerNorm; pre-LN: before any norm), [n] the output of layer n − 1, and the last entry
/// is <see cref="LastHiddenState"/> (pre-LN: the final LayerNorm applied).
/// </param>
/// <param name="LastHiddenState">[B, T, D] the context representations c_t.</param>
/// <param name="Attentions">
/// When requested: one tensor [B, heads, T, T] (float32) per layer run, Hugging Face's <c>attentions</c>; in eval mode
/// (no LayerDrop) [n] is layer n. Null otherwise.
/// </param>
public sealed record EncoderOutput(IReadOnlyList<Tensor> HiddenStates, Tensor LastHiddenState, IReadOnlyList<Tensor>? Attentions = null);

/// <summary>
/// The context network (paper §2): positional conv embedding, then a stack of <see cref="EncoderLayer"/>s with
/// LayerDrop (Fan et al., 2019) while training. Hugging Face name: <c>encoder</c> with <c>pos_conv_embed</c>,
/// <c>layer_norm</c>, <c>layers.{n}</c>. Post-LN applies <c>layer_norm</c> before the first layer; pre-LN after the last.
/// </summary>
public sealed class TransformerEncoder : NamedModule
{
    readonly PositionalConvEmbedding posConv;
    readonly LayerNorm layerNorm;
    readonly ModuleList<EncoderLayer> layers = new();
    readonly bool preNorm;
    readonly double eps, dropout, layerDrop;

    /// <summary>The encoder <paramref name="config"/> describes.</summary>
    public TransformerEncoder(Wav2Vec2Config config) : base(nameof(TransformerEncoder))
    {
        preNorm = config.DoStableLayerNorm;
        eps = config.LayerNormEps;
        dropout = config.HiddenDropout;
        layerDrop = config.LayerDrop;
        posConv = new PositionalConvEmbedding(config);
        layerNorm = nn.LayerNorm(config.HiddenSize, eps);
        for (var i = 0; i < config.NumHiddenLayers; i++) layers.Add(new EncoderLayer(config));
        register_module("pos_conv_embed", posConv);
        register_module("layer_norm", layerNorm);
        register_module("layers", layers);
    }

    /// <summary>The positional embedding (for initialisation).</summary>
    public PositionalConvEmbedding PositionalEmbedding => posConv;

    /// <summary>The Transformer blocks in order.</summary>
    public IReadOnlyList<EncoderLayer> Layers => [.. layers];

    /// <summary>
    /// [B, T, D] → <see cref="EncoderOutput"/>. <paramref name="frameMask"/> [B, T] (true = real frame) zeroes padded
    /// frames before the positional conv and hides them from attention. <paramref name="outputAttentions"/> also
    /// returns each layer's attention probabilities.
    /// </summary>
    public EncoderOutput Forward(Tensor x, Tensor? frameMask, bool outputAttentions = false)
    {
        using var scope = NewDisposeScope();
        if (frameMask is not null) x = x * frameMask.unsqueeze(-1).to(x.dtype);
        x = x + posConv.Forward(x);
        if (!preNorm) x = Norms.LayerNorm(layerNorm, x, eps);
        x = Dropouts.Apply(x, dropout, training);
        var states = new List<Tensor> { x };
        var attentions = outputAttentions ? new List<Tensor>() : null;
        for (var i = 0; i < layers.Count; i++)
        {
            // LayerDrop draws from the global generator so a seeded run is reproducible.
            var skip = training && layerDrop > 0 && rand(1).item<float>() < layerDrop;
            if (!skip)
            {
                if (attentions is null) x = layers[i].Forward(x, frameMask);
                else
                {
                    (x, var attention) = layers[i].ForwardWithAttention(x, frameMask);
                    attentions.Add(attention.MoveToOuterDisposeScope());
                }
            }
            if (i < layers.Count - 1 || !preNorm) states.Add(x);
        }
        if (preNorm)
        {
            x = Norms.LayerNorm(layerNorm, x, eps);
            states.Add(x);
        }
        foreach (var s in states.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>()) s.MoveToOuterDisposeScope();
        return new EncoderOutput(states, x, attentions);
    }
}
