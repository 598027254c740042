using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class BestRqTests
{
    static Tensor Features(int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randn([2, 40, 12], generator: generator);
    }

    static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    [Fact]
    public void TargetsAreAFunctionOfTheFeaturesAndTheSeedAlone()
    {
        using var features = Features(1);
        var (p0, c0) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        var (p0Again, c0Again) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        var (p1, c1) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 1);
        using var first = RandomProjectionQuantizer.Targets(features, null, p0, c0);
        using var again = RandomProjectionQuantizer.Targets(features, null, p0Again, c0Again);
        using var reseeded = RandomProjectionQuantizer.Targets(features, null, p1, c1);
        Assert.True(Same(first, again));
        Assert.False(Same(first, reseeded));
        Assert.Equal(ScalarType.Int64, first.dtype);
        Assert.Equal([2L, 40], first.shape);
        Assert.True(c0.square().sum(1).sub(1).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void TargetsIgnoreAnUtterancesGainAndOffsetButNotItsContent()
    {
        using var features = Features(2);
        var (projection, codebook) = RandomProjectionQuantizer.Draw(12, 4, 64, seed: 0);
        using var targets = RandomProjectionQuantizer.Targets(features, null, projection, codebook);
        using var louder = features.clone();
        louder[0].mul_(7).add_(3);
        using var sameTargets = RandomProjectionQuantizer.Targets(louder, null, projection, codebook);
        Assert.True(Same(targets, sameTargets));
        using var other = Features(3);
        using var otherTargets = RandomProjectionQuantizer.Targets(other, null, projection, codebook);
        Assert.False(Same(targets, otherTargets));
    }

    [Fact]
    public void OnlyMaskedFramesContributeToTheLoss()
    {
        using var generator = new Generator(5, CPU);
        using var logits = randn([2, 10, 8], generator: generator);
        using var targets = randint(0, 8, [2, 10], generator: generator);
        using var mask = zeros([2, 10], dtype: ScalarType.Bool);
        mask[0, TensorIndex.Slice(2, 6)] = tensor(true);
        mask[1, TensorIndex.Slice(5, 9)] = tensor(true);
        var loss = BestRqLoss.Compute(logits, targets, mask, 8).Loss.item<float>();

        using var unmaskedChanged = logits.clone();
        unmaskedChanged[0, 0] = tensor(new float[] { 9, -9, 9, -9, 9, -9, 9, -9 });
        unmaskedChanged[1, 9].mul_(100);
        Assert.Equal(loss, BestRqLoss.Compute(unmaskedChanged, targets, mask, 8).Loss.item<float>());

        using var maskedChanged = logits.clone();
        maskedChanged[0, 3].mul_(100);
        Assert.NotEqual(loss, BestRqLoss.Compute(maskedChanged, targets, mask, 8).Loss.item<float>());
    }

    [Fact]
    public void ChanceIsTheMostCommonMaskedCodeAndPerplexityCountsTheCodesInUse()
    {
        using var logits = zeros([1, 4, 8]);
        logits[0, TensorIndex.Colon, 3] = tensor(1f);
        using var targets = tensor(new long[] { 3, 3, 5, 0 }).reshape(1, 4);
        using var mask = tensor(new[] { true, true, true, false }).reshape(1, 4);
        var losses = BestRqLoss.Compute(logits, targets, mask, 8);
        Assert.Equal(2.0 / 3, losses.Accuracy, 6);
        Assert.Equal(2.0 / 3, losses.MajorityCode, 6);
        Assert.Equal(Math.Exp(-(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3))), losses.CodePerplexity, 6);
    }

    static Tensor Chirps(int rows, int samples) =>
        tensor(Enumerable.Range(0, rows * samples).Select(i =>
        {
            var (row, t) = (i / samples, i % samples);
            var hz = 150 + 100 * row + 2000.0 * t / samples;
            return (float)(0.3 * Math.Sin(2 * Math.PI * hz * t / 16000) * (Math.Sin(2 * Math.PI * t / 3200.0) > -0.3 ? 1 : 0.1));
        }).ToArray(), [rows, samples]);

    /// <summary>The targets of <paramref name="audio"/> as the model computes them (eval mode, no mask).</summary>
    static Tensor Targets(Wav2Vec2ForBestRq model, Tensor audio)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        return model.Targets(audio, null, model.Wav2Vec2.Forward(audio)).MoveToOuterDisposeScope();
    }

    [Theory]
    [InlineData(PretrainObjectiveSpec.Cnn, true)]
    [InlineData(PretrainObjectiveSpec.CnnFrozen, false)]
    [InlineData(PretrainObjectiveSpec.LogMelFeatures, false)]
    public void OnlyCnnTargetsDriftWhileTheFeatureEncoderTrains(string features, bool drifts)
    {
        TorchRuntime.Initialize();
        var objective = new PretrainObjectiveSpec(PretrainObjectiveSpec.BestRq, CodebookSize: 64, CodebookDim: 8, Features: features, Seed: 2);
        using var model = new Wav2Vec2ForBestRq(LogMelTests.Config with { FeatureGradMult = 1 }, objective);
        using var audio = Chirps(2, 16000);
        using var before = Targets(model, audio);
        using var encoderBefore = model.Wav2Vec2.FeatureEncoder.Blocks[0].parameters().First().detach().clone();
        using var optimizer = Optimizers.AdamW(model.named_parameters(), new OptimizerSpec { LearningRate = 1e-2 }, Optimizers.DefaultNoDecay);
        using var batch = new Batch(audio.clone(), [16000, 16000], null, null, ["a", "b"]);
        for (var step = 0; step < 4; step++)
            BestRqStep.Run(model, optimizer, [batch], step, new MaskingOptions(0.5, 5, MinMasks: 1), maxGradNorm: 10, seed: 1);
        using var after = Targets(model, audio);

        Assert.False(Same(encoderBefore, model.Wav2Vec2.FeatureEncoder.Blocks[0].parameters().First()), "the feature encoder did not train");
        Assert.Equal(drifts, !Same(before, after));
        Assert.Equal([2L, FrameLengths.Compute(16000, model.Config)], after.shape);
        if (model.BestRq.FrozenEncoder is { } frozen)
        {
            Assert.All(frozen.parameters(), p => Assert.False(p.requires_grad));
            Assert.All(frozen.parameters(), p => Assert.Null(p.grad));
            Assert.Contains("best_rq.frozen_feature_extractor.conv_layers.0.conv.weight", model.state_dict().Keys);
        }
        else Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("frozen", StringComparison.Ordinal));
    }

    [Fact]
    public void AtTheStartCnnFrozenTargetsAreTheCnnTargetsAndLogMelOnesHaveTheirOwnProjectionWidth()
    {
        TorchRuntime.Initialize();
        PretrainObjectiveSpec Objective(string features) => new(PretrainObjectiveSpec.BestRq, CodebookSize: 64, CodebookDim: 8, Features: features, Seed: 2);
        using var frozen = new Wav2Vec2ForBestRq(LogMelTests.Config, Objective(PretrainObjectiveSpec.CnnFrozen));
        using var logMel = new Wav2Vec2ForBestRq(LogMelTests.Config, Objective(PretrainObjectiveSpec.LogMelFeatures));
        using var audio = Chirps(2, 12000);
        using var scope = NewDisposeScope();
        frozen.eval();
        var output = frozen.Wav2Vec2.Forward(audio);
        var cnnTargets = RandomProjectionQuantizer.Targets(output.ConvFeatures, null, frozen.BestRq.Projection, frozen.BestRq.Codebook);
        Assert.True(Same(frozen.Targets(audio, null, output), cnnTargets));
        Assert.Equal([160L, 8], logMel.BestRq.Projection.shape);
        Assert.Equal([32L, 8], frozen.BestRq.Projection.shape);
    }
}
