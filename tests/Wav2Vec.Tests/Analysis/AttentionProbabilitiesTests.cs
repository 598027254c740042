using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class AttentionProbabilitiesTests
{
    static Wav2Vec2Config Small(bool preNorm) => Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [16, 16, 16, 16, 16, 16, 16], HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4,
        IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4, CodevectorDim = 16,
        ProjCodevectorDim = 16, NumCodevectorsPerGroup = 8, FeatExtractNorm = preNorm ? "layer" : "group",
        DoStableLayerNorm = preNorm,
    };

    /// <summary>Two rows of 4000 samples; the second has only 2400 real samples (the rest zero and masked).</summary>
    static (Tensor Waveform, Tensor Mask) PaddedBatch()
    {
        using var generator = new Generator(7);
        var waveform = randn([2, 4000], generator: generator);
        var mask = ones(2, 4000, ScalarType.Int64);
        mask[1, TensorIndex.Slice(2400)] = 0;
        waveform[1, TensorIndex.Slice(2400)] = 0;
        return (waveform, mask);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AttentionsAreBatchHeadsFramesFramesRowStochasticAndIgnorePaddedKeys(bool preNorm)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = Small(preNorm);
        using var network = new Wav2Vec2Model(config);
        network.eval();
        var (waveform, mask) = PaddedBatch();
        using var _ = no_grad();
        var output = network.Forward(waveform, mask, outputAttentions: true);
        var frames = output.LastHiddenState.shape[1];
        var real = output.FrameLengths[1];
        Assert.True(real < frames, $"the padded row should have fewer real frames ({real}) than the batch ({frames})");
        Assert.Equal(config.NumHiddenLayers, output.Encoder.Attentions!.Count);
        foreach (var attention in output.Encoder.Attentions)
        {
            Assert.Equal([2, config.NumAttentionHeads, frames, frames], attention.shape);
            Assert.Equal(ScalarType.Float32, attention.dtype);
            Assert.True(attention.sum(-1).allclose(ones(2, config.NumAttentionHeads, frames), rtol: 0, atol: 1e-5), "every query's weights sum to 1");
            Assert.Equal(0, attention[1, TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(real)].abs().max().item<float>());
            Assert.True(attention[1, TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, real)].min().item<float>() > 0,
                "real keys keep a positive weight");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReturningAttentionsLeavesEveryHiddenStateUnchanged(bool preNorm)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var network = new Wav2Vec2Model(Small(preNorm));
        network.eval();
        var (waveform, mask) = PaddedBatch();
        using var _ = no_grad();
        var plain = network.Forward(waveform, mask);
        var withAttentions = network.Forward(waveform, mask, outputAttentions: true);
        Assert.Null(plain.Encoder.Attentions);
        Assert.Equal(plain.HiddenStates.Count, withAttentions.HiddenStates.Count);
        foreach (var (a, b) in plain.HiddenStates.Zip(withAttentions.HiddenStates))
            Assert.True(a.allclose(b, rtol: 0, atol: 0), "hidden states must be bit-identical with and without attentions");
    }

    [Fact]
    public void ExtractorKeepsEveryStageAndRestoresTrainingMode()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = Small(preNorm: false);
        using var model = new Wav2Vec2ForPreTraining(config);
        model.train();
        var (waveform, mask) = PaddedBatch();
        using var representations = RepresentationExtractor.Extract(model.Wav2Vec2, model.Quantizer, waveform, mask);
        Assert.True(model.training && model.Wav2Vec2.training && model.Quantizer!.training, "the modules go back to training mode");
        var frames = representations.Context.shape[1];
        Assert.Equal([2, frames, config.ConvDim[^1]], representations.ConvFeatures.shape);
        Assert.Equal(config.NumHiddenLayers + 1, representations.HiddenStates.Count);
        Assert.All(representations.HiddenStates, h => Assert.Equal([2, frames, config.HiddenSize], h.shape));
        Assert.Equal([2, frames, config.CodevectorDim], representations.Quantized!.shape);
        Assert.Equal([2, frames, config.NumCodevectorGroups], representations.CodeIndices!.shape);
        Assert.InRange(representations.CodeIndices.max().item<long>(), 0, config.NumCodevectorsPerGroup - 1);
        Assert.Equal(config.NumHiddenLayers, representations.Attentions.Count);
        Assert.Equal(representations.FrameLengths[1], representations.RealFrames(representations.Context, 1).shape[0]);
        Assert.False(representations.Context.requires_grad);

        model.eval();
        using var _ = no_grad();
        var direct = model.Wav2Vec2.Forward(waveform, mask);
        Assert.True(direct.LastHiddenState.allclose(representations.Context, rtol: 0, atol: 0), "the context equals an eval-mode forward pass");
    }
}
