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
        Assert.StartsWith("{\n  \"kind\": \"pretrain\",\n  \"name\": \"base\"", json.Replace("\r", ""));
        Assert.DoesNotContain("selectionMetric", json);
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
    [InlineData("""{"name":"f","steps":3}""", "'kind'")]
    [InlineData("""{"kind":"pretrain","name":"p","accumulate":0}""", "'accumulate'")]
    [InlineData("""{"kind":"pretrain","name":"p","optimizer":{"noDecay":["*.bias",""]}}""", "optimizer.noDecay")]
    [InlineData("""{"kind":"pretrain","name":"p","optimizer":{"beta2":1.0}}""", "optimizer.beta2")]
    [InlineData("""{"kind":"pretrain","name":"p","model":{"preset":"tiny","apply_spec_augment":false}}""", "apply_spec_augment")]
    [InlineData("""{"kind":"pretrain","name":"p","corpus":{"normalise":true}}""", "normalise")]
    [InlineData("""{"kind":"pretrain","name":"p","corpus":{"trimSilence":-40}}""", "corpus.trimSilence")]
    [InlineData("""{"kind":"finetune","name":"f","pretrained":"p","model":{"preset":"tiny"}}""", "'pretrained'")]
    [InlineData("""{"kind":"finetune","name":"f","pretrained":null,"model":{"preset":"tinny"}}""", "tinny")]
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

    [Fact]
    public void TheRepositorysExperimentFilesLoad()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "experiments");
        var files = Directory.GetFiles(folder, "*.json");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(string.IsNullOrEmpty(ExperimentJson.Load(f).Name)));
    }

    [Fact]
    public void TheLogMelBestRqStudyIsTheBestRqStudyWithLogMelTargets()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "experiments");
        var cnn = ExperimentJson.Load<PretrainExperiment>(Path.Combine(folder, "pretrain-study-bestrq.json"));
        var logMel = ExperimentJson.Load<PretrainExperiment>(Path.Combine(folder, "pretrain-study-bestrq-logmel.json"));
        Assert.Equal(cnn with { Name = "pretrain-study-bestrq-logmel", Objective = cnn.Objective with { Features = "logmel" } }, logMel);
    }

    [Fact]
    public void AFineTuningFromScratchRoundTripsAndIsOneWithAwayFromAPretrainedOne()
    {
        var pretrained = new FinetuneExperiment { Name = "ft", Pretrained = "runs/base/final", Steps = 50 };
        var scratch = pretrained with { Pretrained = null, Model = Wav2Vec2Presets.Tiny() with { NumHiddenLayers = 2 } };
        var json = ExperimentJson.Serialize(scratch);
        Assert.DoesNotContain("pretrained", json);
        Assert.Equal(scratch, ExperimentJson.Parse(json, "scratch.json"));
        Assert.DoesNotContain("\"model\"", ExperimentJson.Serialize(pretrained));
        var preset = ExperimentJson.Parse("""{"kind":"finetune","name":"s","model":{"preset":"tiny"}}""", "s.json");
        Assert.Equal(Wav2Vec2Presets.Tiny(), Assert.IsType<FinetuneExperiment>(preset).Model);
    }

    [Fact]
    public void NoDecayPatternsRoundTripAndNullMeansTheObjectivesDefault()
    {
        var listed = Baseline with { Optimizer = Baseline.Optimizer with { NoDecay = ["*.bias", "quantizer.*"] } };
        Assert.Equal(listed, ExperimentJson.Parse(ExperimentJson.Serialize(listed), "listed.json"));
        Assert.NotEqual(listed, Baseline);
        Assert.NotEqual(listed with { Optimizer = listed.Optimizer with { NoDecay = [] } }, Baseline);
        Assert.Contains("\"noDecay\": null", ExperimentJson.Serialize(Baseline));
    }

    [Fact]
    public void TheBaseRecordCarriesTheSharedFieldsAndVariesWithWith()
    {
        ExperimentDescription description = new FinetuneExperiment { Name = "ft", Pretrained = "p" };
        var renamed = description with { Name = "other", Accumulate = 4 };
        var back = Assert.IsType<FinetuneExperiment>(ExperimentJson.Parse(ExperimentJson.Serialize(renamed), "renamed.json"));
        Assert.Equal(("other", 4, "p", "train-10min"), (back.Name, back.Accumulate, back.Pretrained, back.Corpus.Train));
        Assert.Equal(0.0, back.Optimizer.WeightDecay);
    }
}
