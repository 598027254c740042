using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

[Collection(GlobalGeneratorCollection.Name)]
public class PretrainingStepTests
{
    /// <summary>A model small enough for unit tests: 3 conv blocks (stride 20 → 800 frames/s), 32 wide, 1 layer.</summary>
    static readonly Wav2Vec2Config Micro = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [32, 32, 32], ConvKernel = [10, 3, 3], ConvStride = [5, 2, 2],
        HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64,
        NumConvPosEmbeddings = 16, NumConvPosEmbeddingGroups = 4,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 8, CodevectorDim = 16, ProjCodevectorDim = 16, NumNegatives = 10,
    };

    static readonly PretrainingStepOptions Options = PretrainingStepOptions.From(Micro) with
    {
        Masking = new MaskingOptions(0.65, 5, MinMasks: 2),
    };

    static Wav2Vec2ForPreTraining Model()
    {
        TorchRuntime.Seed(11);
        return new Wav2Vec2ForPreTraining(Micro);
    }

    static Tensor Audio() => torch.randn(3, 1600, generator: new Generator(3));

    [Fact]
    public void SameSeedAndStepGiveTheSameUpdate()
    {
        PretrainingStepResult Once()
        {
            var model = Model();
            var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
            using var audio = Audio();
            PretrainingStep.Run(model, optimizer, audio, null, Options, step: 0, seed: 4);
            return PretrainingStep.Run(model, optimizer, audio, null, Options, step: 1, seed: 4);
        }
        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void StepReportsEveryTermAndFollowsTheTemperatureSchedule()
    {
        var model = Model();
        using var audio = Audio();
        var result = PretrainingStep.Run(model, optim.AdamW(model.parameters()), audio, null, Options, step: 1000, seed: 1);
        var l = result.Losses;
        Assert.Equal(2 * Math.Pow(0.999995, 1000), result.Temperature, 1e-12);
        Assert.True(l.MaskedFrames > 0 && double.IsFinite(l.Total) && double.IsFinite(result.GradNorm));
        Assert.Equal(l.ContrastiveMean + 0.1 * l.Diversity + 10 * l.FeaturePenalty, l.Total, 1e-4 * l.Total);
        Assert.InRange(l.Perplexity, 2.0, 16.0);
        Assert.InRange(l.CodeUsage, 1 / 16.0, 1.0);
    }

    [Fact]
    public void GradientsAreClippedToMaxGradNorm()
    {
        var model = Model();
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var audio = Audio();
        // Plain SGD with lr 1 moves the parameters by exactly the (clipped) gradient.
        var result = PretrainingStep.Run(model, optim.SGD(model.parameters(), 1.0), audio, null,
            Options with { MaxGradNorm = 1e-3 }, step: 0, seed: 2);
        var moved = Math.Sqrt(model.parameters().Zip(before, (p, b) => (p.detach() - b).pow(2).sum().item<float>()).Sum());
        Assert.True(result.GradNorm > 1e-2, $"gradient norm {result.GradNorm} too small for the test to mean anything");
        Assert.Equal(1e-3, moved, 1e-4);
    }

    [Fact]
    public void PaddedRowsAreMaskedOnlyInsideTheirRealFrames()
    {
        var model = Model();
        using var audio = Audio();
        long[] lengths = [1600, 400, 1200];
        var mask = PretrainingStep.BatchMask(Micro, 1600, lengths, 3, Options.Masking, step: 0, seed: 3);
        var frames = lengths.Select(n => (int)FrameLengths.Compute(n, Micro)).ToArray();
        Assert.Equal([79, 19, 59], frames);
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(79, mask[b].Length);
            Assert.DoesNotContain(true, mask[b][frames[b]..]);
            Assert.Contains(true, mask[b]);
        }
        using var scope = NewDisposeScope();
        var losses = PretrainingStep.Losses(model, audio, lengths, Options, step: 0, seed: 3, out _);
        Assert.Equal(SpanMasking.MaskedCounts(mask).Sum(), losses.MaskedFrames);
        Assert.True(float.IsFinite(losses.Total.item<float>()));
    }

    [Fact]
    public void WrongNumberOfSampleLengthsNamesBothCounts()
    {
        var model = Model();
        using var audio = Audio();
        var error = Assert.Throws<ArgumentException>(() => PretrainingStep.Losses(model, audio, [1600, 400], Options, 0, 0, out _));
        Assert.Contains("2 sample lengths for a batch of 3", error.Message);
    }
}
