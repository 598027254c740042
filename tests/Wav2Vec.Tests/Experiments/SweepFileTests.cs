using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck.Xunit;
using Wav2Vec.Experiments;
using Wav2Vec.Tools.Notebooks;

namespace Wav2Vec.Tests.Experiments;

public sealed class SweepFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sweep-file-").FullName;

    public SweepFileTests() =>
        ExperimentJson.Save(new PretrainExperiment { Name = "b", Steps = 10, Seed = 7 }, Path.Combine(folder, "b.json"));

    public void Dispose() => Directory.Delete(folder, true);

    string Write(string json, string name = "sweep.json")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void NamedPointsCrossedWithARepeatRunAsBaselineNameSeedInPointOrder()
    {
        var sweep = SweepFile.Load(Write("""
            {"baseline": "b.json", "repeat": {"seed": [1, 2]},
             "points": [{"name": "base", "set": {}}, {"name": "k50", "set": {"model.num_negatives": 50}}, {"name": "lr", "set": {"optimizer.learningRate": 0.001}}]}
            """));
        var points = sweep.Points();
        Assert.Equal(["b-base-seed1", "b-base-seed2", "b-k50-seed1", "b-k50-seed2", "b-lr-seed1", "b-lr-seed2"], points.Select(p => p.Description.Name));
        Assert.Equal(["base-seed1", "base-seed2", "k50-seed1", "k50-seed2", "lr-seed1", "lr-seed2"], points.Select(p => p.Name));
        var k50 = Assert.IsType<PretrainExperiment>(points[3].Description);
        Assert.Equal((50, 2L, 5e-4), (k50.Model.NumNegatives, k50.Seed, k50.Optimizer.LearningRate));
        Assert.Equal("model.num_negatives=50,seed=2", points[3].Label);
        var base1 = Assert.IsType<PretrainExperiment>(points[0].Description);
        Assert.Equal((new PretrainExperiment { Name = "x" }.Model.NumNegatives, 1L), (base1.Model.NumNegatives, base1.Seed));
        Assert.Equal(0.001, points[5].Description.Optimizer.LearningRate);
        Assert.Equal(Path.Combine(folder, "sweep.csv"), sweep.Results);
    }

    [Fact]
    public void APointMaySetAFieldTheBaselineLeavesNullAndClearOneItSets()
    {
        ExperimentJson.Save(new FinetuneExperiment { Name = "f", Pretrained = "models/x" }, Path.Combine(folder, "f.json"));
        var points = SweepFile.Load(Write("""
            {"baseline": "f.json", "points": [{"name": "pretrained", "set": {}},
             {"name": "scratch", "set": {"pretrained": null, "model": {"preset": "tiny"}, "freezeFeatureEncoder": false}}]}
            """)).Points();
        var pretrained = Assert.IsType<FinetuneExperiment>(points[0].Description);
        var scratch = Assert.IsType<FinetuneExperiment>(points[1].Description);
        Assert.Equal(("models/x", true), (pretrained.Pretrained, pretrained.FreezeFeatureEncoder));
        Assert.Null(pretrained.Model);
        Assert.Null(scratch.Pretrained);
        Assert.Equal(Wav2Vec.Model.Wav2Vec2Presets.Tiny().HiddenSize, scratch.Model!.HiddenSize);
        Assert.False(scratch.FreezeFeatureEncoder);
    }

    [Fact]
    public void GridPointsComeFirstThenTheNamedPoints()
    {
        var points = SweepFile.Load(Write("""
            {"baseline": "b.json", "grid": {"masking.prob": [0.3, 0.5]}, "points": [{"name": "k50", "set": {"model.num_negatives": 50}}]}
            """)).Points();
        Assert.Equal(["b-00", "b-01", "b-k50"], points.Select(p => p.Description.Name));
        Assert.Equal(["masking.prob=0.3", "masking.prob=0.5", "model.num_negatives=50"], points.Select(p => p.Label));
    }

    [Fact]
    public void AScaleMultipliesTheStepsAndRunsEachPointInItsOwnFolder()
    {
        var sweep = SweepFile.Load(Write("""{"baseline": "b.json", "points": [{"name": "k50", "set": {"model.num_negatives": 50}}]}"""));
        var quick = Assert.Single(sweep.Points(0.25));
        Assert.Equal(("b-k50-scale0.25", 3, 0.25), (quick.Description.Name, quick.Description.Steps, quick.Scale));
        var full = Assert.Single(sweep.Points());
        Assert.Equal(("b-k50", 10, 1.0), (full.Description.Name, full.Description.Steps, full.Scale));
    }

    [Fact]
    public void AfterNamesTheSweepThatRunsFirstAndAQuickLookFineTunesItsScaledRuns()
    {
        Write("""{"baseline": "b.json", "points": [{"name": "p1", "set": {}}, {"name": "k4", "set": {"model.num_negatives": 4}}]}""", "pre.json");
        ExperimentJson.Save(new FinetuneExperiment { Name = "f", Steps = 8, Pretrained = "elsewhere/model" }, Path.Combine(folder, "f.json"));
        var sweep = SweepFile.Load(Write("""
            {"baseline": "f.json", "after": "pre.json",
             "points": [{"name": "p1", "set": {"pretrained": "runs/b-p1/best"}}, {"name": "k4", "set": {"pretrained": "runs/b-k4"}},
                        {"name": "p10", "set": {"pretrained": "runs/b-p10/best"}}, {"name": "other", "set": {}}]}
            """));
        Assert.Equal(Path.Combine(folder, "pre.json"), sweep.After);
        Assert.Equal([Path.Combine(folder, "pre.json"), Path.Combine(folder, "sweep.json")], sweep.Chain().Select(s => Path.GetFullPath(s.Source)));
        static IEnumerable<string?> Models(IEnumerable<SweepPoint<ExperimentDescription>> points) =>
            points.Select(p => Assert.IsType<FinetuneExperiment>(p.Description).Pretrained);
        Assert.Equal(["runs/b-p1/best", "runs/b-k4", "runs/b-p10/best", "elsewhere/model"], Models(sweep.Points()));
        // At a scale, the models the after sweep trains come from its scaled runs; other paths (b-p10 is no run of it) stay.
        Assert.Equal([Path.GetFullPath("runs/b-p1-scale0.5/best"), Path.GetFullPath("runs/b-k4-scale0.5"), "runs/b-p10/best", "elsewhere/model"],
            Models(sweep.Points(0.5)));
        Assert.Equal(4, sweep.Points(0.5)[0].Description.Steps);

        Write("""{"baseline": "b.json", "points": [{"name": "p1", "set": {}}], "after": "sweep2.json"}""", "loop.json");
        var looped = SweepFile.Load(Write("""{"baseline": "b.json", "points": [{"name": "p1", "set": {}}], "after": "loop.json"}""", "sweep2.json"));
        var error = Assert.Throws<InvalidDataException>(() => looped.Chain());
        Assert.Contains("field 'after' leads back to", error.Message);
        Assert.Contains("loop.json → ", error.Message);
    }

    [Property]
    public bool ScaledStepsStayWithinHalfAStepOfTheProductAndAtLeastOne(ushort steps, byte eighths)
    {
        var (n, scale) = (steps + 1, (eighths + 1) / 8.0);
        var scaled = SweepFile.ScaledSteps(n, scale);
        return scaled >= 1 && (n * scale < 1 || Math.Abs(scaled - n * scale) <= 0.5) && SweepFile.ScaledSteps(n, 1) == n;
    }

    [Theory]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "k", "set": {"model.num_negative": 5}}]}""", "field 'points[0].set' sets 'model.num_negative'", "'num_negative'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}, {"name": "m", "set": {"masking.probability": 0.3}}]}""", "field 'points[1].set' sets 'masking.probability'", "'probability'")]
    [InlineData("""{"baseline": "b.json", "grid": {"masks.prob": [0.3]}}""", "field 'grid' sets 'masks.prob'", "'masks'")]
    [InlineData("""{"baseline": "b.json", "grid": {"seed": [1]}, "repeat": {"seed": [1, 2]}}""", "field 'repeat' varies 'seed'", "'grid'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "k", "set": {}}, {"name": "k", "set": {"seed": 3}}]}""", "two points are named 'k'", "b-k")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "k", "set": {"model.num_negatives": "many"}}]}""", "field 'points[0].set' (k)", "num_negatives")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "k", "set": {"steps": 0}}]}""", "point k (steps=0)", "'steps'")]
    public void AMistakeInAPointIsAnErrorNamingTheFileAndTheField(string json, string field, string detail)
    {
        var path = Write(json);
        var error = Assert.ThrowsAny<ArgumentException>(() => SweepFile.Load(path).Points());
        Assert.StartsWith(path, error.Message);
        Assert.Contains(field, error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Theory]
    [InlineData("""{"baseline": "b.json"}""", "'grid' or 'points'")]
    [InlineData("""{"baseline": "b.json", "pionts": []}""", "field 'pionts'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a b", "set": {}}]}""", "field 'points[0].name'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "sets": {}}]}""", "field 'points[0].sets'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a"}]}""", "field 'points[0].set'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}], "repeat": {"seed": []}}""", "field 'repeat.seed'")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}], "after": "pretrain.json"}""", "field 'after' names")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}], "after": 3}""", "field 'after' must be")]
    [InlineData("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}], "after": "sweep.json"}""", "field 'after' names this sweep file itself")]
    public void AMalformedSweepFileIsAnErrorNamingTheFileAndTheField(string json, string field)
    {
        var path = Write(json);
        var error = Assert.Throws<InvalidDataException>(() => SweepFile.Load(path));
        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void AnIndexOutsideThePointsIsAnErrorNamingTheFileAndTheCount(int index)
    {
        var path = Write("""{"baseline": "b.json", "points": [{"name": "a", "set": {}}, {"name": "c", "set": {"seed": 3}}]}""");
        var sweep = SweepFile.Load(path);
        Assert.Equal("b-c", sweep.Point(1).Description.Name);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sweep.Point(index));
        Assert.Equal($"{path}: point {index} does not exist; the sweep has 2 points (0–1).", error.Message);
    }

    [Fact]
    public void TheRepositorysSweepsExpandAndTheKubernetesJobRunsEveryPointOfItsSweep()
    {
        var root = NotebookPaths.Find(AppContext.BaseDirectory).Root;
        var sweeps = Directory.GetFiles(Path.Combine(root, "experiments", "sweeps"), "*.json");
        Assert.NotEmpty(sweeps);
        Assert.All(sweeps, f => Assert.NotEmpty(SweepFile.Load(f).Points()));

        var job = File.ReadAllText(Path.Combine(root, "scripts", "k8s", "sweep-job.yaml"));
        var collect = File.ReadAllText(Path.Combine(root, "scripts", "k8s", "sweep-collect.yaml"));
        var sweep = Regex.Match(job, @"name: SWEEP\s+value: (\S+)").Groups[1].Value;
        Assert.Equal(sweep, Regex.Match(collect, @"name: SWEEP\s+value: (\S+)").Groups[1].Value);
        var completions = int.Parse(Regex.Match(job, @"completions: (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(SweepFile.Load(Path.Combine(root, sweep)).Points().Count, completions);
    }
}
