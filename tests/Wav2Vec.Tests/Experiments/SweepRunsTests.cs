using System.Collections.Immutable;
using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Pretraining;
using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SweepRunsTests : IDisposable
{
    readonly string corpus = TinyCorpus.Create(count: 6, labelled: true);

    public void Dispose() => Directory.Delete(corpus, true);

    SweepFile Sweep(string points, Func<PretrainExperiment, PretrainExperiment>? change = null)
    {
        var baseline = PretrainingRunTests.Micro(corpus, Path.Combine(corpus, "runs"), "b") with { Steps = 2 };
        ExperimentJson.Save(change?.Invoke(baseline) ?? baseline, Path.Combine(corpus, "b.json"));
        var path = Path.Combine(corpus, "sweep.json");
        File.WriteAllText(path, $$"""{"baseline": "b.json", "points": {{points}}}""");
        return SweepFile.Load(path);
    }

    static long[] LoggedSteps(ExperimentDescription d) => JsonLinesLog.Read(Experiment.Folder(d).MetricsJsonl).Select(r => r.Step).ToArray();

    [Fact]
    public async Task RunningAFinishedPointAgainRunsNothing()
    {
        var point = Sweep("""[{"name": "k4", "set": {"model.num_negatives": 4}}]""").Point(0).Description;
        Assert.Equal([1L, 2], (await SweepRuns.Run(point).ToList()).Select(r => r.Step));
        Assert.True(SweepRuns.Status(point).Finished);

        Assert.Empty(await SweepRuns.Run(point).ToList());
        Assert.Equal([1L, 2], LoggedSteps(point));
    }

    [Fact]
    public async Task AnInterruptedPointResumesFromItsNewestCheckpoint()
    {
        var point = Sweep("""[{"name": "long", "set": {"steps": 4}}]""").Point(0).Description;
        // Killed before step 4: steps 1–3 are logged, the newest checkpoint is step 2's.
        await Assert.ThrowsAsync<IOException>(async () =>
            await TrainingPipeline.Run(() => new CrashingSession(new Trainer(point), crashBefore: 4)).LogTo(Experiment.Folder(point)).ToList());
        Assert.Equal("at step 2 of 4", SweepRuns.Status(point).ToString());

        Assert.Equal([3L, 4], (await SweepRuns.Run(point).ToList()).Select(r => r.Step));
        Assert.Equal([1L, 2, 3, 4], LoggedSteps(point));
    }

    async Task<(SweepFile Sweep, IReadOnlyList<SweepPoint<ExperimentDescription>> Points)> ThreePointsOfWhichTheFirstAndLastRan()
    {
        var sweep = Sweep("""
            [{"name": "base", "set": {}}, {"name": "k4", "set": {"model.num_negatives": 4}}, {"name": "k6", "set": {"model.num_negatives": 6}}]
            """, b => b with { Corpus = b.Corpus with { Dev = "dev" }, DevUtterances = 3 });
        var points = sweep.Points();
        await SweepRuns.Run(points[0].Description).LastAsync();
        await SweepRuns.Run(points[2].Description).LastAsync();
        return (sweep, points);
    }

    [Fact]
    public async Task CollectTabulatesTheFinishedPointsAndListsTheMissingOnes()
    {
        var (sweep, points) = await ThreePointsOfWhichTheFirstAndLastRan();

        var (finished, missing) = SweepRuns.Collect(points);
        Assert.Equal([0, 2], finished.Select(r => r.Index));
        var absent = Assert.Single(missing);
        Assert.Equal((1, "no checkpoint yet"), (absent.Index, absent.Status.ToString()));

        var table = SweepTable.Of(finished);
        string Cell(int row, string column) => table.Rows[row][table.Header.ToList().IndexOf(column)];
        Assert.Equal(["0", "base", "b-base", "8"], table.Rows[0].Take(4));
        Assert.Equal(["2", "k6", "b-k6", "6"], table.Rows[1].Take(4));
        Assert.Equal(("2", "2"), (Cell(0, "step"), Cell(1, "step")));
        // The run's wall time at its last update, to 0.1 s: a micro run of two updates may log less than 0.05 s.
        Assert.True(finished[1].ComputeSeconds > 0);
        Assert.Equal(Math.Round(finished[1].ComputeSeconds, 1), double.Parse(Cell(1, "compute_s"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(table.Rows, row => Assert.Contains(row[table.Header.ToList().IndexOf("learns")], new[] { "yes", "no" }));
        Assert.Contains("dev_accuracy", table.Header);
    }

    [Fact]
    public async Task AProbedPointIsMeasuredAgainOnItsTrainedModelAndItsVerdictReadsTheProbe()
    {
        var (sweep, points) = await ThreePointsOfWhichTheFirstAndLastRan();
        var ran = SweepRuns.Collect(points).Finished[0];
        var probed = DevProbing.Probe(ran, _ => { });

        // Two updates, evaluated at the last: best/ is the model of that evaluation, and the seeded probe measures it to the same numbers.
        string[] names = [DiagnosticNames.DevAccuracy, DiagnosticNames.DevContrastive, DiagnosticNames.DevChanceAccuracy, DiagnosticNames.DevPerplexity];
        Assert.All(names, name => Assert.Equal(ran.Metrics[name], probed.Metrics[SweepResult.ProbedPrefix + name], 5));
        Assert.Equal(ran.Metrics.Count + probed.Probed.Count, probed.Metrics.Count);
        Assert.Equal(ran.Metrics, probed.Metrics.RemoveRange(probed.Metrics.Keys.Where(k => k.StartsWith(SweepResult.ProbedPrefix))));
        var config = ((PretrainExperiment)ran.Point.Description).ResolvedModel;
        Assert.Equal(HealthLevels.Learns(probed.Probed, DiagnosticNames.DevPerplexity, config), probed.Learns);

        // The verdict follows the probe, not the logged chance level: a probe that finds chance high enough says no.
        var measured = new DevProbeMeasurement("r", "best", probed.Probed, null);
        Dictionary<string, double> Probe(double accuracy, double chance) => new(probed.Probed)
        {
            [DiagnosticNames.DevAccuracy] = accuracy, [DiagnosticNames.DevChanceAccuracy] = chance, [DiagnosticNames.DevPerplexity] = 2,
        };
        Assert.True(ran.WithProbe(measured with { Metrics = Probe(0.778, 0.05) }).Learns);
        var collapsed = ran.WithProbe(measured with { Metrics = Probe(0.778, 0.755) });
        Assert.False(collapsed.Learns);
        // A second probe replaces the first.
        Assert.Equal(0.755, collapsed.WithProbe(measured with { Metrics = Probe(0.5, 0.755) }).Probed[DiagnosticNames.DevChanceAccuracy]);
        Assert.Equal(0.5, collapsed.WithProbe(measured with { Metrics = Probe(0.5, 0.755) }).Metrics[SweepResult.ProbedPrefix + DiagnosticNames.DevAccuracy]);

        // The table carries the probed columns, and a row read back keeps the probe's verdict.
        SweepTable.Of([collapsed]).WriteCsv(sweep.Results);
        Directory.Delete(Experiment.Folder(points[0].Description).Path, true);
        var recorded = SweepRuns.Collect(points, sweep.Results).Results.Single(r => r.Index == 0);
        Assert.Equal(0.755, recorded.Metrics[SweepResult.ProbedPrefix + DiagnosticNames.DevChanceAccuracy]);
        Assert.False(recorded.Learns);

        Assert.Equal("not a pre-training run", DevProbing.Unprobeable(FinetuneExperimentRunTests.Micro(corpus, "p", "f")));
        Assert.Equal("corpus.dev is null", DevProbing.Unprobeable(PretrainingRunTests.Micro(corpus, "runs", "p")));
        Assert.Null(DevProbing.Unprobeable(ran.Point.Description));
    }

    [Fact]
    public async Task APointWhoseRunIsNotHereIsReadFromTheResultsTableAsItsRunReportedIt()
    {
        var (sweep, points) = await ThreePointsOfWhichTheFirstAndLastRan();
        var ran = SweepRuns.Collect(points).Finished;
        SweepTable.Of(ran).WriteCsv(sweep.Results);
        // Point 2 ran on another machine: only its row in the collected table is here.
        Directory.Delete(Experiment.Folder(points[2].Description).Path, true);

        var collected = SweepRuns.Collect(points, sweep.Results);

        Assert.Equal([0, 2], collected.Results.Select(r => r.Index));
        Assert.Null(collected.Results[0].Recorded);
        var recorded = collected.Results[1];
        Assert.Equal("b-k6", recorded.Recorded!["run"]);
        // The table keeps compute time to 0.1 s.
        Assert.Equal((ran[1].Step, Math.Round(ran[1].ComputeSeconds, 1), ran[1].Learns), (recorded.Step, recorded.ComputeSeconds, recorded.Learns));
        Assert.Equal(ran[1].Metrics, recorded.Metrics);
        Assert.Equal(1, Assert.Single(collected.Missing).Index);
        Assert.Empty(collected.Dropped);
        Assert.Equal([0], SweepRuns.Collect(points, null).Results.Select(r => r.Index));
        Assert.Equal([0], SweepRuns.Collect(points, Path.Combine(corpus, "absent.csv")).Results.Select(r => r.Index));
    }

    [Fact]
    public async Task FineTuningRowsSayWhichModelTheyStartedFromSoAReplacedModelIsVisible()
    {
        var pretrained = FinetuneExperimentRunTests.MicroPretrained(corpus);
        var tuned = FinetuneExperimentRunTests.Micro(corpus, pretrained, "tuned") with { Steps = 2 };
        var scratch = tuned with { Name = "scratch", Pretrained = null, Model = FinetuneExperimentRunTests.MicroNetwork, FreezeFeatureEncoder = false };
        await SweepRuns.Run(tuned).LastAsync();
        await SweepRuns.Run(scratch).LastAsync();
        var empty = ImmutableSortedDictionary<string, string>.Empty;
        var table = SweepTable.Of(SweepRuns.Collect([new(tuned, empty), new(scratch, empty)]).Finished);
        var column = table.Header.ToList().IndexOf("starts_from");
        var first = table.Rows[0][column];
        Assert.Matches("^[0-9a-f]{12}$", first);
        Assert.Equal("", table.Rows[1][column]);

        // The same path holding another model: the next run's row carries another identity; a run older than stamps says so.
        using (var model = new Wav2Vec.Model.Wav2Vec2ForPreTraining(FinetuneExperimentRunTests.MicroNetwork)) model.SavePretrained(pretrained);
        var again = tuned with { Name = "tuned-again" };
        await SweepRuns.Run(again).LastAsync();
        Assert.NotEqual(first, SweepTable.StartsFrom(again));
        File.Delete(Experiment.Folder(tuned).PretrainedStamp);
        Assert.Equal("unstamped", SweepTable.StartsFrom(tuned));
        Assert.DoesNotContain("starts_from", SweepTable.Of(SweepRuns.Collect([new(scratch, empty)]).Finished).Header);
    }

    [Fact]
    public async Task AFolderHoldingAnotherDescriptionIsNeverResumedNorCollected()
    {
        var points = Sweep("""[{"name": "k4", "set": {"model.num_negatives": 4}}]""").Points();
        var folder = Experiment.Folder(points[0].Description);
        Directory.CreateDirectory(folder.Path);
        ExperimentJson.Save(points[0].Description with { Seed = 99 }, folder.Description);

        Assert.True(SweepRuns.Status(points[0].Description).Foreign);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await SweepRuns.Run(points[0].Description).ToList());
        Assert.StartsWith(folder.Description + ": ", error.Message);
        Assert.Equal("its folder holds a run of another description or model", Assert.Single(SweepRuns.Collect(points).Missing).Status.ToString());
    }
}
