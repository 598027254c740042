using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class ModuleBehaviourTests
{
    static Wav2Vec2Config Small(bool layerNorm = true) => Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [16, 16, 16, 16, 16, 16, 16], HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2,
        IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4, CodevectorDim = 16,
        ProjCodevectorDim = 16, NumCodevectorsPerGroup = 8, FeatExtractNorm = layerNorm ? "layer" : "group",
        DoStableLayerNorm = layerNorm,
    };

    [Property(MaxTest = 200)]
    public Property FrameLengthFormulaMatchesTheConvStackOutput()
    {
        TorchRuntime.Initialize();
        var config = Small();
        return Prop.ForAll(Gen.Choose(0, 4000).ToArbitrary(), samples =>
        {
            var expected = FrameLengths.Compute(samples, config);
            if (samples < FrameLengths.ReceptiveField(config.ConvKernel, config.ConvStride)) return expected == 0;
            using var scope = NewDisposeScope();
            using var encoder = new FeatureEncoder(config);
            using var _ = no_grad();
            return encoder.Forward(zeros(1, samples)).shape[1] == expected;
        });
    }

    [Fact]
    public void BaseFramesAre20MsWithA25MsReceptiveField()
    {
        var config = Wav2Vec2Presets.Base();
        Assert.Equal(400, FrameLengths.ReceptiveField(config.ConvKernel, config.ConvStride));
        Assert.Equal(49, FrameLengths.Compute(16000, config));
        Assert.Equal(145, FrameLengths.Compute(46536, config));
        // (16000 − 10) / 5 + 1 = 3199, then (L − 3) / 2 + 1 four times, (L − 2) / 2 + 1 twice.
        Assert.Equal([3199L, 1599, 799, 399, 199, 99, 49], FrameLengths.PerLayer(16000, config.ConvKernel, config.ConvStride));
        Assert.Equal([39L, 19, 9, 4, 1, 0, 0], FrameLengths.PerLayer(200, config.ConvKernel, config.ConvStride));
    }

    [Property(MaxTest = 5)]
    public Property LayerNormModelGivesTheSameRealFramesWhenPaddedWithAnAttentionMask()
    {
        TorchRuntime.Initialize();
        return Prop.ForAll(Gen.Choose(2000, 4000).ToArbitrary(), Gen.Choose(1, 1500).ToArbitrary(), (length, padding) =>
        {
            using var scope = NewDisposeScope();
            TorchRuntime.Seed(length);
            using var model = new Wav2Vec2Model(Small());
            model.eval();
            using var _ = no_grad();
            var wave = randn(1, length);
            var alone = model.Forward(wave).LastHiddenState;
            var padded = nn.functional.pad(wave, [0, padding], value: 0.7);
            var mask = nn.functional.pad(ones(1, length, dtype: ScalarType.Int64), [0, padding]);
            var output = model.Forward(padded, mask);
            var frames = alone.shape[1];
            return output.FrameLengths[0] == frames &&
                   (output.LastHiddenState.narrow(1, 0, frames) - alone).abs().max().item<float>() < 1e-4;
        });
    }

    [Fact]
    public void GroupNormModelOutputChangesWithPaddingAsDocumented()
    {
        TorchRuntime.Seed(1);
        using var model = new Wav2Vec2Model(Small(layerNorm: false));
        model.eval();
        using var _ = no_grad();
        var wave = randn(1, 3000);
        var alone = model.Forward(wave).LastHiddenState;
        var padded = model.Forward(nn.functional.pad(wave, [0, 1000])).LastHiddenState.narrow(1, 0, alone.shape[1]);
        Assert.True((padded - alone).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void TimeMaskReplacesExactlyTheMaskedFramesByTheMaskEmbedding()
    {
        TorchRuntime.Seed(2);
        using var model = new Wav2Vec2Model(Small());
        model.eval();
        using var _ = no_grad();
        var wave = randn(2, 3000);
        var frames = FrameLengths.Compute(3000, model.Config);
        var mask = zeros(2, frames, dtype: ScalarType.Bool);
        mask[0, 3] = true;
        mask[1, 5] = true;
        var plain = model.Forward(wave).Projected;
        var masked = model.Forward(wave, timeMask: mask).Projected;
        Assert.True(masked[0, 3].equal(model.MaskedSpecEmbed!).all().item<bool>());
        Assert.True(masked[1, 5].equal(model.MaskedSpecEmbed!).all().item<bool>());
        var untouched = mask.logical_not().unsqueeze(-1).expand_as(plain);
        Assert.True(masked.masked_select(untouched).equal(plain.masked_select(untouched)).all().item<bool>());
    }

    [Fact]
    public void GradientScaleKeepsTheValueAndScalesTheGradient()
    {
        TorchRuntime.Initialize();
        var x = randn(5, requires_grad: true);
        var y = GradientScale.Apply(x, 0.1);
        Assert.True(y.equal(x).all().item<bool>());
        y.sum().backward();
        Assert.True((x.grad! - 0.1).abs().max().item<float>() < 1e-7);
    }

    [Fact]
    public void FeatureGradMultScalesTheFeatureEncoderGradientsOnly()
    {
        TorchRuntime.Initialize();
        using var reference = new Wav2Vec2Model(Small() with { FeatureGradMult = 1.0 });
        var wave = randn(1, 3000);
        float EncoderGradNorm(double mult)
        {
            // Same weights and input for both runs: other tests share the global generator in parallel.
            using var model = new Wav2Vec2Model(Small() with { FeatureGradMult = mult });
            model.load_state_dict(reference.state_dict());
            model.train();
            model.Forward(wave).LastHiddenState.pow(2).sum().backward();
            return model.FeatureEncoder.parameters().Select(p => p.grad!.norm().item<float>()).Sum();
        }
        var full = EncoderGradNorm(1.0);
        Assert.Equal(0.1, EncoderGradNorm(0.1) / full, 3);
    }

    [Fact]
    public void FrozenFeatureEncoderGetsNoGradientsButTheRestDoes()
    {
        TorchRuntime.Seed(6);
        using var model = new Wav2Vec2ForCtc(Small());
        model.FreezeFeatureEncoder();
        model.train();
        model.Forward(randn(1, 3000)).Logits.pow(2).sum().backward();
        Assert.All(model.Wav2Vec2.FeatureEncoder.parameters(), p => Assert.Null(p.grad));
        Assert.NotNull(model.LmHead.weight!.grad);
        Assert.NotNull(model.Wav2Vec2.FeatureProjection.Projection.weight!.grad);
    }

    [Fact]
    public void LayerDropOneSkipsEveryLayerInTrainingButNoneInEval()
    {
        TorchRuntime.Seed(7);
        using var model = new Wav2Vec2Model(Small() with { LayerDrop = 1.0, DoStableLayerNorm = false });
        var wave = randn(1, 3000);
        using var _ = no_grad();
        model.train();
        var states = model.Forward(wave).HiddenStates;
        Assert.All(states, s => Assert.True(s.equal(states[0]).all().item<bool>()));
        model.eval();
        var evaluated = model.Forward(wave).HiddenStates;
        Assert.False(evaluated[1].equal(evaluated[0]).all().item<bool>());
    }

    [Fact]
    public void NewHeadKeepsTheNetworkAndChangesOnlyTheVocabulary()
    {
        TorchRuntime.Seed(8);
        using var model = new Wav2Vec2ForCtc(Small());
        var moved = model.WithNewHead(50);
        Assert.Same(model.Wav2Vec2, moved.Wav2Vec2);
        Assert.Equal(50, moved.Config.VocabSize);
        Assert.Equal([50L, 32L], moved.LmHead.weight!.shape);
        using var _ = no_grad();
        Assert.Equal([1L, 9L, 50L], moved.Forward(randn(1, 3000)).Logits.shape);
    }
}
