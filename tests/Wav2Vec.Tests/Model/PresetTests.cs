using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Model;

public class PresetTests
{
    static long Count(torch.nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void BaseCtcModelHasHuggingFacesParameterCountIncludingTheMaskEmbedding()
    {
        TorchRuntime.Initialize();
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Presets.Base(vocabSize: 32));
        Assert.Equal(94_396_320L, Count(model));
        Assert.Equal(768L, model.Wav2Vec2.MaskedSpecEmbed!.numel());
    }

    [Theory]
    [InlineData("tiny", 1_000_000, 3_000_000)]
    [InlineData("small", 10_000_000, 20_000_000)]
    public void SmallPresetsFitTheirParameterBudget(string preset, long min, long max)
    {
        TorchRuntime.Initialize();
        var config = preset == "tiny" ? Wav2Vec2Presets.Tiny() : Wav2Vec2Presets.Small();
        using var model = new Wav2Vec2ForPreTraining(config);
        Assert.InRange(Count(model), min, max);
    }

    [Fact]
    public void LargePresetsDifferOnlyInNormPlacementAndConvBias()
    {
        var large = Wav2Vec2Presets.Large();
        var lv60 = Wav2Vec2Presets.LargeLv60();
        Assert.Equal((1024, 24, 16, 4096), (large.HiddenSize, large.NumHiddenLayers, large.NumAttentionHeads, large.IntermediateSize));
        Assert.Equal(("group", false, false), (large.FeatExtractNorm, large.DoStableLayerNorm, large.ConvBias));
        Assert.Equal(("layer", true, true), (lv60.FeatExtractNorm, lv60.DoStableLayerNorm, lv60.ConvBias));
        Assert.Equal(large, lv60 with { FeatExtractNorm = "group", DoStableLayerNorm = false, ConvBias = false });
    }
}
