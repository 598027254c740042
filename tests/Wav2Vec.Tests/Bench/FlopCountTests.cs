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

    static Wav2Vec2Config Small() => Wav2Vec2Presets.Tiny(vocabSize: 5) with
    {
        ConvDim = [4, 6], ConvKernel = [10, 3], ConvStride = [5, 2], HiddenSize = 8, NumHiddenLayers = 1,
        NumAttentionHeads = 2, IntermediateSize = 16, NumConvPosEmbeddings = 4, NumConvPosEmbeddingGroups = 2,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 3, CodevectorDim = 4, ProjCodevectorDim = 2,
    };

    [Fact]
    public void ATrainingStepCountsItsProductsPartByPartAndTheBackwardPassAtTwiceTheForwardLessTheWaveformsGradient()
    {
        var config = Small();
        // The layer counts of the forward test above, for 3 utterances of 1000 samples (99 frames each).
        const double conv0 = 2.0 * 199 * 4 * 10, conv1 = 2.0 * 99 * 6 * 4 * 3, projection = 2.0 * 99 * 6 * 8;
        const double transformer = 2.0 * 100 * 8 * 4 * 4 + 4 * 2.0 * 99 * 8 * 8 + 2 * 2.0 * 99 * 99 * 8 + 2 * 2.0 * 99 * 8 * 16;
        const double lmHead = 2.0 * 99 * 8 * 5;
        // project_hid 8 → 2, weight_proj 6 → 2·3, project_q 4 → 2 on every frame.
        const double heads = 2.0 * 99 * (8 * 2 + 6 * 6 + 4 * 2);

        var ctc = TrainingFlops.Step(config, pretraining: false, batch: 3, samples: 1000);
        Assert.Equal(Wav2Vec.Training.StepTiming.Parts, ctc.Select(p => p.Part));
        (double, double)[] expectedCtc =
        [
            (3 * (conv0 + conv1), 0), (3 * projection, 0), (3 * transformer, 0), (3 * lmHead, 0),
            (3 * (conv0 + 2 * (conv1 + projection + transformer + lmHead)), 0), (0, 0), (0, 0), (0, 0),
        ];
        Assert.Equal(expectedCtc, ctc.Select(p => (p.NetworkFlops, p.HeadFlops)));
        Assert.Equal(3 * FlopCount.Total(config, 1000), ctc.Take(4).Sum(p => p.NetworkFlops));

        var pretraining = TrainingFlops.Step(config, pretraining: true, batch: 3, samples: 1000);
        Assert.Equal((0.0, 3 * heads), (pretraining[3].NetworkFlops, pretraining[3].HeadFlops));
        Assert.Equal((3 * (conv0 + 2 * (conv1 + projection + transformer)), 2 * 3 * heads), (pretraining[4].NetworkFlops, pretraining[4].HeadFlops));

        // The floor: network products at the compute dtype's rate, heads at float32's; GFLOP/s → ms.
        Assert.Equal((3 * heads / 2) / 1e6, pretraining[3].FloorMs(networkRate: 4, float32Rate: 2), 12);
    }

    [Fact]
    public void BaseOnTenSecondsIsAbout148Gflop()
    {
        var total = FlopCount.Total(Wav2Vec2Presets.Base(), 160_000) / 1e9;
        Assert.InRange(total, 147.5, 149.0);
    }
}
