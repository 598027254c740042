using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Wav2Vec.Experiments;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Experiments;

public class ExperimentJsonTests
{
    static readonly PretrainExperiment Baseline = new() { Name = "base", Steps = 200 };

    [Fact]
    public void PretrainDescriptionRoundTripsThroughJson()
    {
        var json = ExperimentJson.Serialize(Baseline);
        Assert.StartsWith("{\n  \"kind\": \"pretrain\"", json.Replace("\r", ""));
        var back = Assert.IsType<PretrainExperiment>(ExperimentJson.Parse(json, "test.json"));
        Assert.Equal(Baseline, back);
        Assert.Equal(json, ExperimentJson.Serialize(back));
    }

    [Fact]
    public void FinetuneDescriptionRoundTripsThroughAFile()
    {
        var description = new FinetuneExperiment { Name = "ft", Pretrained = "runs/base/final", Steps = 50 };
        var path = Path.Combine(Path.GetTempPath(), $"ft-{Guid.NewGuid():N}.json");
        ExperimentJson.Save(description, path);
        Assert.Equal(description, ExperimentJson.Load<FinetuneExperiment>(path));
        File.Delete(path);
    }

    [Fact]
    public void ModelMayBeAPresetWithOverridesInHuggingFaceNames()
    {
        const string json = """{"kind":"pretrain","name":"p","model":{"preset":"tiny","num_hidden_layers":2,"num_codevector_groups":1},"steps":10}""";
        var e = Assert.IsType<PretrainExperiment>(ExperimentJson.Parse(json, "p.json"));
        Assert.Equal(Wav2Vec2Presets.Tiny() with { NumHiddenLayers = 2, NumCodevectorGroups = 1 }, e.Model);
    }

    [Theory]
    [InlineData("""{"kind":"pretrain","name":"p","stpes":10}""", "stpes")]
    [InlineData("""{"kind":"pretrain","name":"p","steps":0}""", "'steps'")]
    [InlineData("""{"kind":"pretrain","name":"p","masking":{"prob":1.5,"length":10}}""", "masking")]
    [InlineData("""{"kind":"pretrain","name":"p","optimizer":{"warmupRatio":0.5}}""", "optimizer.decayRatio")]
    [InlineData("""{"kind":"pretrain","name":"p","device":"tpu"}""", "'device'")]
    [InlineData("""{"kind":"pretrain","name":"p","model":{"preset":"huge"}}""", "huge")]
    [InlineData("""{"kind":"finetune","name":"f"}""", "pretrained")]
    [InlineData("""{"kind":"finetune","name":"f","pretrained":"p","lossReduction":"median"}""", "lossReduction")]
    [InlineData("""{"kind":"finetune","name":"f","pretrained":"p","bestBy":"loss"}""", "bestBy")]
    [InlineData("""{"kind":"sing","name":"f"}""", "'kind'")]
    public void BadDescriptionsAreErrorsNamingTheFileAndField(string json, string field)
    {
        var error = Assert.ThrowsAny<Exception>(() => ExperimentJson.Parse(json, "bad.json"));
        Assert.True(error is InvalidDataException or ArgumentException, error.GetType().Name);
        Assert.Contains("bad.json", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void SweepsReachAnyFieldIncludingHuggingFaceModelFields()
    {
        var sweep = new Sweep(new Dictionary<string, ImmutableArray<JsonNode>>
        {
            ["masking.prob"] = [0.4, 0.65],
            ["model.num_codevectors_per_group"] = [32, 64],
        }.ToImmutableSortedDictionary());
        var points = sweep.Expand(Baseline, ExperimentJson.Options).ToList();
        Assert.Equal(4, points.Count);
        Assert.Equal(Baseline with { Masking = Baseline.Masking with { Prob = 0.4 }, Model = Baseline.Model with { NumCodevectorsPerGroup = 32 } },
            points[0].Description);
        Assert.All(points, p => ExperimentValidation.Check(p.Description));
    }
}
