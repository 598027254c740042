using TorchSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using Wav2Vec.Tests.Training;
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

    static Tensor Audio(int seed = 3) => torch.randn(3, 1600, generator: new Generator((ulong)seed));

    [Fact]
    public void SameSeedAndStepGiveTheSameUpdate()
    {
        UpdateReport Once()
        {
            var model = Model();
            var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
            using var audio = Audio();
            PretrainingStep.Run(model, optimizer, [TestBatches.Of(audio)], step: 0, Options with { Seed = 4 });
            return PretrainingStep.Run(model, optimizer, [TestBatches.Of(audio)], step: 1, Options with { Seed = 4 });
        }
        var (a, b) = (Once(), Once());
        Assert.Equal((a.Loss, a.GradNorm, a.Skipped), (b.Loss, b.GradNorm, b.Skipped));
        Assert.Equal(a.Metrics, b.Metrics);
    }

    [Fact]
    public void StepReportsEveryTermAndFollowsTheTemperatureSchedule()
    {
        var model = Model();
        using var audio = Audio();
        var result = PretrainingStep.Run(model, optim.AdamW(model.parameters()), [TestBatches.Of(audio)], step: 1000, Options);
        Assert.Equal(2 * Math.Pow(0.999995, 1000), result.Metric(MetricNames.Temperature), 1e-12);
        Assert.True(double.IsFinite(result.Loss) && double.IsFinite(result.GradNorm) && !result.Skipped);
        var expected = result.Metric(MetricNames.Contrastive) + 0.1 * result.Metric(MetricNames.Diversity) + 10 * result.Metric(MetricNames.FeaturePenalty);
        Assert.Equal(expected, result.Loss, 1e-4 * result.Loss);
        Assert.InRange(result.Metric(MetricNames.Perplexity), 2.0, 16.0);
        Assert.InRange(result.Metric("code_usage"), 1 / 16.0, 1.0);
        Assert.Equal(3, result.Metric("batch_size"));
    }

    [Fact]
    public void GradientsAreClippedToMaxGradNorm()
    {
        var model = Model();
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var audio = Audio();
        // Plain SGD with lr 1 moves the parameters by exactly the (clipped) gradient.
        var result = PretrainingStep.Run(model, optim.SGD(model.parameters(), 1.0), [TestBatches.Of(audio)], step: 0,
            Options with { MaxGradNorm = 1e-3, Seed = 2 });
        var moved = Math.Sqrt(model.parameters().Zip(before, (p, b) => (p.detach() - b).pow(2).sum().item<float>()).Sum());
        Assert.True(result.GradNorm > 1e-2, $"gradient norm {result.GradNorm} too small for the test to mean anything");
        Assert.Equal(1e-3, moved, 1e-4);
    }

    [Fact]
    public void AnAccumulatedUpdateReportsTheMeanLossOfItsMicroBatchesEachWithItsOwnMask()
    {
        var model = Model();
        using var a = Audio(3);
        using var b = Audio(4);
        double Loss(Tensor audio, int micro)
        {
            using var scope = NewDisposeScope();
            model.train();
            return PretrainingStep.Losses(model, audio, null, Options, step: 7, out _, micro).ToValues().Total;
        }
        var (first, second) = (Loss(a, 0), Loss(b, 1));
        // Learning rate 0: the update leaves the parameters as they were, so the losses above are the update's.
        var update = PretrainingStep.Run(model, optim.SGD(model.parameters(), 0.0), [TestBatches.Of(a.alias()), TestBatches.Of(b.alias())], step: 7, Options);
        Assert.Equal((first + second) / 2, update.Loss, 1e-5);
        Assert.True(Math.Abs(Loss(b, 0) - second) > 1e-6, "the second micro-batch should draw its own mask and distractors");
        Assert.Equal(6, update.Metric("batch_size"));
    }

    [Fact]
    public void PaddedRowsAreMaskedOnlyInsideTheirRealFrames()
    {
        var model = Model();
        using var audio = Audio();
        long[] lengths = [1600, 400, 1200];
        var mask = PretrainingStep.BatchMask(Micro, 1600, lengths, 3, Options.Masking, seed: 3, step: 0);
        var frames = lengths.Select(n => (int)FrameLengths.Compute(n, Micro)).ToArray();
        Assert.Equal([79, 19, 59], frames);
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(79, mask[b].Length);
            Assert.DoesNotContain(true, mask[b][frames[b]..]);
            Assert.Contains(true, mask[b]);
        }
        using var scope = NewDisposeScope();
        var losses = PretrainingStep.Losses(model, audio, lengths, Options with { Seed = 3 }, step: 0, out _);
        Assert.Equal(SpanMasking.MaskedCounts(mask).Sum(), losses.MaskedFrames);
        Assert.True(float.IsFinite(losses.Total.item<float>()));
    }

    [Fact]
    public void WrongNumberOfSampleLengthsNamesBothCounts()
    {
        var model = Model();
        using var audio = Audio();
        var error = Assert.Throws<ArgumentException>(() => PretrainingStep.Losses(model, audio, [1600, 400], Options, 0, out _));
        Assert.Contains("2 sample lengths for a batch of 3", error.Message);
    }
}
