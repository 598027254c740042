using System.Text.Json.Nodes;
using TorchSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Reliability;

/// <summary>A few bytes of config must not ask for unbounded memory: sizes are bounded and checked before anything is built.</summary>
[Collection(AloneCollection.Name)]
public class ConfigBoundsTests
{
    [Fact]
    public void AModelWithinTheBoundsButTooLargeForTheMemoryIsRejectedWithTheEstimateAndTheLimit()
    {
        var large = Wav2Vec2Presets.Large();
        var e = Assert.Throws<ArgumentException>(() => large.Validate("large/config.json", availableBytes: 1L << 30));
        Assert.Contains("large/config.json", e.Message);
        Assert.Contains("2.4 GB", e.Message); // 2 × 4 bytes × ≈ 317 M parameters (both heads)
        Assert.Contains("1.0 GB", e.Message);
        Assert.Same(large, large.Validate("large/config.json", availableBytes: 3L << 30));
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("tiny-layer")]
    [InlineData("small")]
    public void ParameterCountsFromTheConfigEqualTheBuiltModels(string preset)
    {
        TorchRuntime.Initialize();
        var config = preset == "tiny-layer"
            ? Wav2Vec2Presets.Tiny() with { FeatExtractNorm = "layer", ConvBias = true, MaskTimeProb = 0, VocabSize = 40 }
            : ModelConfigJson.Preset(preset);
        using var ctc = new Wav2Vec2ForCtc(config);
        using var pre = new Wav2Vec2ForPreTraining(config);
        static long Count(torch.nn.Module m) => m.parameters().Sum(p => p.numel());
        Assert.Equal(Count(ctc), Wav2Vec2ConfigMemory.NetworkParameters(config) + Wav2Vec2ConfigMemory.CtcHeadParameters(config));
        Assert.Equal(Count(pre), Wav2Vec2ConfigMemory.NetworkParameters(config) + Wav2Vec2ConfigMemory.PreTrainingHeadParameters(config));
    }

    [Fact]
    public void AConfigFileOverItsSizeLimitIsNotRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"conv_dim\": [" + string.Join(",", Enumerable.Repeat("512", 300_000)) + "]}");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Wav2Vec2Config.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"preset": "tiny", "num_hiden_layers": 2}""", "model.num_hiden_layers")]
    [InlineData("""{"preset": "tiny", "codebooks": 2}""", "model.codebooks")]
    [InlineData("""{"preset": "tiny", "num_hidden_layers": 1000000}""", "num_hidden_layers")]
    [InlineData("""{"preset": "tiny", "model_type": "hubert"}""", "model_type")]
    public void ExperimentModelOverridesThatNameNoFieldOrBreakABoundAreErrors(string model, string field)
    {
        var json = $$"""{"kind": "pretrain", "name": "p", "model": {{model}}}""";
        var e = Assert.ThrowsAny<Exception>(() => ExperimentJson.Parse(json, "exp.json"));
        Assert.True(e is InvalidDataException or ArgumentException, e.ToString());
        Assert.Contains("exp.json", e.Message);
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void ExperimentModelsMayCarryEveryFieldOfAHuggingFaceConfig()
    {
        var hub = JsonNode.Parse(Wav2Vec2Presets.Tiny().ToJson())!.AsObject();
        hub["architectures"] = new JsonArray("Wav2Vec2ForPreTraining");
        hub["transformers_version"] = "4.31.0";
        hub["tdnn_dim"] = new JsonArray(512, 512);
        var json = $$"""{"kind": "pretrain", "name": "p", "model": {{hub.ToJsonString()}}}""";
        var e = Assert.IsType<PretrainExperiment>(ExperimentJson.Parse(json, "exp.json"));
        Assert.Equal("4.31.0", e.Model.Extra["transformers_version"].GetString());
    }
}
