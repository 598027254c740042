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
