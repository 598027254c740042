using Wav2Vec.Bench;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Bench;

public class FlopCountTests
{
    [Fact]
    public void TinyConfigMatchesAHandCountLayerByLayer()
    {
        var config = Wav2Vec2Presets.Tiny(vocabSize: 5) with
        {
            ConvDim = [4, 6], ConvKernel = [10, 3], ConvStride = [5, 2], HiddenSize = 8, NumHiddenLayers = 1,
            NumAttentionHeads = 2, IntermediateSize = 16, NumConvPosEmbeddings = 4, NumConvPosEmbeddingGroups = 2,
        };
        var layers = FlopCount.Forward(config, samples: 1000);
        // 1000 samples → 199 frames (k 10, s 5) → 99 frames (k 3, s 2); an even positional kernel computes 99 + 1 frames.
        (string, double)[] expected =
        [
            ("conv 0", 2.0 * 199 * 4 * 1 * 10),
            ("conv 1", 2.0 * 99 * 6 * 4 * 3),
            ("feature projection", 2.0 * 99 * 6 * 8),
            ("positional conv", 2.0 * 100 * 8 * 4 * 4),
            ("layer 0 attention projections", 4 * 2.0 * 99 * 8 * 8),
            ("layer 0 attention scores and values", 2 * 2.0 * 99 * 99 * 8),
            ("layer 0 feed-forward", 2 * 2.0 * 99 * 8 * 16),
            ("lm_head", 2.0 * 99 * 8 * 5),
        ];
        Assert.Equal(expected, layers.Select(l => (l.Layer, l.Flops)));
        Assert.Equal(488_208, FlopCount.Total(config, 1000));
    }

    [Fact]
    public void BaseOnTenSecondsIsAbout148Gflop()
    {
        var total = FlopCount.Total(Wav2Vec2Presets.Base(), 160_000) / 1e9;
        Assert.InRange(total, 147.5, 149.0);
    }
}
