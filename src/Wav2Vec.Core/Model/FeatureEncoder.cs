using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// The convolutional feature encoder (paper §2, "Feature encoder"): 7 blocks with strides 5,2,2,2,2,2,2 turn 16 kHz
/// audio into 20 ms frames with a 25 ms receptive field. Hugging Face name: <c>feature_extractor</c>, blocks under
/// <c>conv_layers.{i}</c>.
/// <para>
/// Group-norm mode normalises block 0 over the whole time axis, so zero padding at the end of a batched row changes
/// every frame of that row (Hugging Face has the same property); batch such models without padding, or with
/// utterances of equal length. Layer-norm mode normalises each frame alone and is padding-safe.
/// </para>
/// </summary>
public sealed class FeatureEncoder : NamedModule
{
    readonly ModuleList<ConvBlock> blocks = new();

    /// <summary>Builds the blocks <paramref name="config"/> describes.</summary>
    public FeatureEncoder(Wav2Vec2Config config) : base(nameof(FeatureEncoder))
    {
        long inChannels = 1;
        for (var i = 0; i < config.NumFeatExtractLayers; i++)
        {
            var norm = config.UsesLayerNormEncoder ? ConvBlockNorm.Layer : i == 0 ? ConvBlockNorm.Group : ConvBlockNorm.None;
            blocks.Add(new ConvBlock(inChannels, config.ConvDim[i], config.ConvKernel[i], config.ConvStride[i],
                config.ConvBias, norm, config.LayerNormEps, config.FeatExtractActivation));
            inChannels = config.ConvDim[i];
        }
        register_module("conv_layers", blocks);
    }

    /// <summary>The conv blocks in order.</summary>
    public IReadOnlyList<ConvBlock> Blocks => [.. blocks];

    /// <summary>Waveform [B, L] → conv features [B, T, C] (time-major, as Hugging Face returns them).</summary>
    public Tensor Forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var x = waveform.unsqueeze(1);
        foreach (var block in blocks) x = block.Forward(x);
        return x.transpose(1, 2).MoveToOuterDisposeScope();
    }
}
