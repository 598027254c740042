using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

public class SweepTests
{
    sealed record Inner(double Prob, int Length);
    sealed record Desc(string Name, Inner Masking, long Seed);

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    static Sweep Grid(params (string Key, JsonNode[] Values)[] axes) =>
        new(axes.ToImmutableSortedDictionary(a => a.Key, a => a.Values.ToImmutableArray()));

    [Fact]
    public void ExpandsTheCartesianProductOverNestedFields()
    {
        var baseline = new Desc("base", new Inner(0.65, 10), 1);
        var sweep = Grid(("masking.prob", [0.3, 0.5, 0.65]), ("seed", [1, 2]));
        var points = sweep.Expand(baseline, Json).ToList();
        Assert.Equal(6, sweep.Count);
        Assert.Equal(6, points.Count);
        Assert.Equal(baseline with { Masking = baseline.Masking with { Prob = 0.3 }, Seed = 1 }, points[0].Description);
        Assert.Equal(baseline with { Masking = baseline.Masking with { Prob = 0.65 }, Seed = 2 }, points[^1].Description);
        Assert.Equal("masking.prob=0.3,seed=1", points[0].Label);
        Assert.Equal(6, points.Select(p => p.Description).Distinct().Count());
    }

    [Fact]
    public void AnUnknownFieldIsAnErrorNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Grid(("masking.probability", [0.3])).Expand(new Desc("b", new Inner(0.65, 10), 1), Json).ToList());
        Assert.Contains("masking.probability", error.Message);
        Assert.Contains("'probability'", error.Message);
    }

    [Fact]
    public void ASweepFileVariesABaselineDescriptionIntoNamedValidatedPointsOfTheSameKind()
    {
        var folder = Directory.CreateTempSubdirectory("sweep-").FullName;
        ExperimentJson.Save(new FinetuneExperiment { Name = "ft", Pretrained = "runs/p/final", Steps = 10 }, Path.Combine(folder, "ft.json"));
        File.WriteAllText(Path.Combine(folder, "sweep.json"), """{"baseline": "ft.json", "grid": {"accumulate": [1, 2], "timeMasking.prob": [0.05, 0.1]}}""");
        var sweep = SweepFile.Load(Path.Combine(folder, "sweep.json"));
        var points = sweep.Points();
        Assert.Equal(["ft-00", "ft-01", "ft-02", "ft-03"], points.Select(p => p.Description.Name));
        var last = Assert.IsType<FinetuneExperiment>(points[^1].Description);
        Assert.Equal((2, 0.1, "runs/p/final"), (last.Accumulate, last.TimeMasking.Prob, last.Pretrained));
        Assert.Equal(Path.Combine(folder, "sweep.csv"), sweep.Results);

        File.WriteAllText(Path.Combine(folder, "bad.json"), """{"baseline": "ft.json", "grid": {"accumulate": [0]}}""");
        var error = Assert.Throws<ArgumentException>(() => SweepFile.Load(Path.Combine(folder, "bad.json")).Points());
        Assert.Contains("accumulate=0", error.Message);
        Directory.Delete(folder, true);
    }
}
