using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Tests.Training;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>
/// Mixed precision (float32 master weights, bf16 compute through <see cref="Wav2Vec2Model.ComputeType"/>) against
/// float32 on the same batch: the losses agree to bf16 accuracy and the gradients point the same way.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class MixedPrecisionTests
{
    static readonly Wav2Vec2Config Small = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [64, 64, 64, 64], ConvKernel = [10, 3, 3, 2], ConvStride = [5, 2, 2, 2],
        HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 128,
        NumConvPosEmbeddings = 16, NumConvPosEmbeddingGroups = 4,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 16, CodevectorDim = 32, ProjCodevectorDim = 32, NumNegatives = 20,
    };

    /// <summary>The loss, the flattened gradient of every parameter, and the dtypes they came in.</summary>
    sealed record Step(double Loss, Tensor Gradient, ScalarType[] GradientTypes, ScalarType[] ParameterTypes);

    static Step Backward(nn.Module model, Func<Tensor> loss)
    {
        model.zero_grad();
        using var scope = NewDisposeScope();
        var value = loss();
        value.backward();
        var parameters = model.parameters().Where(p => p.grad is not null).ToList();
        var gradient = cat(parameters.Select(p => p.grad!.flatten().to(ScalarType.Float64)).ToList()).MoveToOuterDisposeScope();
        return new Step(value.item<float>(), gradient, [.. parameters.Select(p => p.grad!.dtype)], [.. parameters.Select(p => p.dtype)]);
    }

    static double Cosine(Tensor a, Tensor b) => (a.dot(b) / (a.norm() * b.norm())).item<double>();

    /// <summary>One float32 and one mixed-precision backward of <paramref name="loss"/>: losses within 2 %, gradient cosine ≥ 0.99.</summary>
    static void AssertMixedPrecisionAgrees(nn.Module model, Wav2Vec2Model network, Func<Tensor> loss)
    {
        var full = Backward(model, loss);
        network.ComputeType = ScalarType.BFloat16;
        var mixed = Backward(model, loss);
        AssertAgree(full, mixed, lossTolerance: 0.02, minCosine: 0.99);
    }

    static void AssertAgree(Step full, Step mixed, double lossTolerance, double minCosine)
    {
        Assert.NotEqual(full.Loss, mixed.Loss);
        Assert.True(Math.Abs(mixed.Loss - full.Loss) <= lossTolerance * Math.Abs(full.Loss),
            $"bf16 loss {mixed.Loss} vs float32 {full.Loss}");
        Assert.Equal(full.Gradient.shape, mixed.Gradient.shape);
        Assert.All(mixed.GradientTypes.Concat(mixed.ParameterTypes), t => Assert.Equal(ScalarType.Float32, t));
        var cosine = Cosine(full.Gradient, mixed.Gradient);
        Assert.True(cosine >= minCosine, $"gradient cosine similarity {cosine} < {minCosine}");
    }

    [Fact]
    public void PretrainingStepInBf16MatchesFloat32LossAndGradientDirection()
    {
        TorchRuntime.Seed(21);
        using var model = new Wav2Vec2ForPreTraining(Small);
        model.train();
        using var audio = randn(2, 8000, generator: new Generator(5));
        var options = PretrainingStepOptions.From(Small) with { Masking = new MaskingOptions(0.5, 4, MinMasks: 2) };
        Tensor Loss() => PretrainingStep.Losses(model, audio, null, options with { Seed = 7 }, step: 3, out _).Total;
        AssertMixedPrecisionAgrees(model, model.Wav2Vec2, Loss);
    }

    [Fact]
    public void CtcStepInBf16MatchesFloat32LossAndGradientDirection()
    {
        using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
        var waves = new[] { "input.wav", "input2.wav" }.Select(f => Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, f))).ToArray();
        var length = waves.Min(w => w.Length);
        using var audio = stack(waves.Select(w => tensor(w[..length])).ToList());
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        var targets = new[] { "the quick brown fox", "speech recognition" }.Select((t, i) => tokenizer.Encode(t, i.ToString())).ToArray();
        Tensor Loss()
        {
            var logits = model.Forward(audio).Logits;
            var logProbs = logits.to(ScalarType.Float32).log_softmax(-1).transpose(0, 1);
            return nn.functional.ctc_loss(logProbs, tensor(targets.SelectMany(t => t).Select(id => (long)id).ToArray()),
                tensor(Enumerable.Repeat(logits.shape[1], 2).ToArray()), tensor(targets.Select(t => (long)t.Length).ToArray()),
                blank: 0, reduction: nn.Reduction.Sum);
        }
        AssertMixedPrecisionAgrees(model, model.Wav2Vec2, Loss);
    }

    [Fact]
    public void ABf16ModelFineTunesFromFloat32WaveformsAndCachedFeatures()
    {
        using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
        model.to(ScalarType.BFloat16);
        model.FreezeFeatureEncoder();
        using var cache = new FeatureCache(model.Wav2Vec2, CPU);
        using var optimizer = optim.AdamW(model.parameters().Where(p => p.requires_grad), 5e-5);
        using var batch = TestBatches.Labelled(new Tokenizer(Vocabulary.English, TranscriptNormalizer.English),
            ("input", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), "the quick brown fox"),
            ("input2", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav")), "speech recognition"));
        var first = CtcStep.Run(model, optimizer, [batch], 0, new CtcStepOptions(), cache);
        var second = CtcStep.Run(model, optimizer, [batch], 1, new CtcStepOptions(), cache);
        Assert.False(first.Skipped || second.Skipped);
        Assert.True(double.IsFinite(first.Loss) && double.IsFinite(second.Loss));
        Assert.Equal(2, cache.Count);
    }
}
