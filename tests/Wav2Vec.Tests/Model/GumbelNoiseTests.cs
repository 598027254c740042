using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class GumbelNoiseTests
{
    static readonly Wav2Vec2Config Config = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [16, 16, 16, 16, 16, 16, 16], NumCodevectorGroups = 2, NumCodevectorsPerGroup = 4, CodevectorDim = 8,
    };

    [Fact]
    public void GivenGumbelNoiseDecidesTheCodesInsteadOfTheGenerator()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var quantizer = new GumbelVectorQuantizer(Config);
        quantizer.Initialize();
        quantizer.train();
        var features = randn(2, 5, 16, generator: new Generator(1));
        // Noise far above any logit at entry (t + g) mod V picks that entry whatever the generator would draw.
        var wanted = arange(5).view(1, 5, 1).add(arange(2).view(1, 1, 2)).remainder(4).expand(2, 5, 2);
        var noise = nn.functional.one_hot(wanted, 4).to(ScalarType.Float32) * 1e4;
        var first = quantizer.Forward(features, 2.0, null, new Generator(1), noise);
        var second = quantizer.Forward(features, 2.0, null, new Generator(2), noise);
        Assert.True(first.CodevectorIndices.eq(wanted).all().item<bool>());
        Assert.True(second.CodevectorIndices.eq(wanted).all().item<bool>());
        Assert.True(first.Quantized.eq(second.Quantized).all().item<bool>());
    }

    [Fact]
    public void WithoutNoiseTheHardCodesAreTheArgmaxOfTheLogitsWhateverTheGenerator()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var quantizer = new GumbelVectorQuantizer(Config);
        quantizer.Initialize();
        quantizer.train();
        var features = randn(4, 50, 16, generator: new Generator(1));
        var first = quantizer.Forward(features, 2.0, null, new Generator(1), withNoise: false);
        var second = quantizer.Forward(features, 2.0, null, new Generator(2), withNoise: false);
        var argmax = first.Logits.view(4, 50, 2, 4).argmax(-1);
        Assert.True(first.CodevectorIndices.eq(argmax).all().item<bool>());
        Assert.True(second.CodevectorIndices.eq(argmax).all().item<bool>());
        Assert.True(first.Quantized.eq(second.Quantized).all().item<bool>());

        // With noise (the default) the same two generators pick other codes on some of the 400 (frame, group) pairs.
        var noisy = quantizer.Forward(features, 2.0, null, new Generator(1));
        var reseeded = quantizer.Forward(features, 2.0, null, new Generator(2));
        Assert.False(noisy.CodevectorIndices.eq(reseeded.CodevectorIndices).all().item<bool>());
        Assert.False(noisy.CodevectorIndices.eq(argmax).all().item<bool>());
    }

    [Fact]
    public void WithoutNoiseTheGradientIsThatOfTheSoftmaxOfTheLogitsOverTau()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var logits = randn(6, 5, generator: new Generator(3)).requires_grad_();
        var weights = randn(6, 5, generator: new Generator(4));
        var y = GumbelSoftmax.StraightThroughWithoutNoise(logits, 0.5);
        Assert.True(y.eq(nn.functional.one_hot(logits.argmax(-1), 5).to(ScalarType.Float32)).all().item<bool>());
        (y * weights).sum().backward();
        var straightThrough = logits.grad!.clone();
        logits.grad!.zero_();
        ((logits / 0.5).softmax(-1) * weights).sum().backward();
        Assert.True(straightThrough.allclose(logits.grad!, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void TwoTrainingPassesWithoutNoiseGiveTheSameCodesWithDifferentGenerators()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var model = new Wav2Vec2ForPreTraining(Config);
        model.train();
        var audio = randn(2, 16000, generator: new Generator(5));
        Tensor Codes(ulong seed, bool withNoise) =>
            model.Forward(audio, temperature: 2.0, generator: new Generator(seed), withNoise: withNoise).Quantizer!.CodevectorIndices;
        Assert.True(Codes(1, withNoise: false).eq(Codes(2, withNoise: false)).all().item<bool>());
        Assert.False(Codes(1, withNoise: true).eq(Codes(2, withNoise: true)).all().item<bool>());
    }

    [Fact]
    public void GumbelNoiseGivenToAQuantizerAskedForNoNoiseIsAnError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var quantizer = new GumbelVectorQuantizer(Config);
        quantizer.train();
        var error = Assert.Throws<ArgumentException>(() => quantizer.Forward(zeros(2, 5, 16), gumbelNoise: zeros(2, 5, 2, 4), withNoise: false));
        Assert.Contains("without noise", error.Message);
    }

    [Fact]
    public void GumbelNoiseOfTheWrongShapeIsRejectedNamingBothShapes()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var quantizer = new GumbelVectorQuantizer(Config);
        quantizer.train();
        var error = Assert.Throws<ArgumentException>(() => quantizer.Forward(zeros(2, 5, 16), gumbelNoise: zeros(2, 5, 8)));
        Assert.Contains("[2, 5, 8]", error.Message);
        Assert.Contains("[2, 5, 2, 4]", error.Message);
    }
}
