using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;
using Wav2Vec.Tests.Experiments;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// A run folder after accidents: a second run of it, a kill mid-line, a kill before the first checkpoint, a kill in the
/// middle of a checkpoint write, a checkpoint damaged on disk, a run that never applied an update.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class RunFolderReliabilityTests : IDisposable
{
    readonly string corpus = TinyCorpus.Create(count: 6);
    readonly List<string> messages = [];

    public void Dispose() => Directory.Delete(corpus, recursive: true);

    string Output => Path.Combine(corpus, "runs");

    PretrainExperiment Micro(string name, int checkpointEvery = 2) =>
        PretrainingRunTests.Micro(corpus, Output, name) with { Output = new OutputSpec { Folder = Output, CheckpointEvery = checkpointEvery, KeepLast = 3 } };

    /// <summary>Runs <paramref name="experiment"/> with its standard logs until it dies before step <paramref name="crashBefore"/>.</summary>
    static async Task CrashBefore(ExperimentDescription experiment, long crashBefore)
    {
        var folder = Experiment.Folder(experiment);
        await Assert.ThrowsAsync<IOException>(async () =>
            await TrainingPipeline.Run(() => new CrashingSession(new Trainer(experiment, log: _ => { }), crashBefore)).LogTo(folder).LastAsync());
    }

    async Task<IList<StepReport>> Resume(ExperimentDescription experiment) =>
        await experiment.Run(resume: true, log: messages.Add).LogTo(Experiment.Folder(experiment)).ToList();

    static long[] JsonlSteps(RunFolder folder) => [.. JsonLinesLog.Read(folder.MetricsJsonl).Select(r => r.Step)];

    static long[] CsvSteps(RunFolder folder) => [.. File.ReadAllLines(folder.MetricsCsv).Skip(1).Select(line => long.Parse(CsvLog.Fields(line)[2]))];

    [Fact]
    public void ASecondRunOfTheSameFolderFailsAtOnceNamingTheFolderAndItsHolder()
    {
        var experiment = Micro("locked");
        var folder = Experiment.Folder(experiment);
        using (new Trainer(experiment, log: _ => { }))
        {
            var error = Assert.ThrowsAny<IOException>(() => new Trainer(experiment, resume: true, log: _ => { }));
            Assert.StartsWith(folder.Path + ": ", error.Message);
            Assert.Contains($"pid {Environment.ProcessId} on {Environment.MachineName} since ", error.Message);
        }
        // Released with the run; the holder file a dead process left behind only records it.
        File.WriteAllText(folder.Holder, "pid 999999 on elsewhere since 2000-01-01 00:00:00 UTC\n");
        using var again = new Trainer(experiment, resume: true, log: _ => { });
        Assert.Contains($"pid {Environment.ProcessId} ", File.ReadAllText(folder.Holder));
    }

    [Fact]
    public async Task ALineCutOffByAKillIsRemovedFromBothLogsOnResume()
    {
        var experiment = Micro("torn");
        var folder = Experiment.Folder(experiment);
        await CrashBefore(experiment, crashBefore: 6);
        File.AppendAllText(folder.MetricsJsonl, """{"run":"torn","phase":"pretrain","step":6,"ep""");
        File.AppendAllText(folder.MetricsCsv, "torn,pretrain,6,2,1.5");

        await Resume(experiment);

        Assert.Equal([1L, 2, 3, 4, 5, 6], JsonlSteps(folder));
        Assert.Equal([1L, 2, 3, 4, 5, 6], CsvSteps(folder));
        Assert.Contains(messages, m => m.StartsWith(folder.MetricsJsonl, StringComparison.Ordinal) && m.Contains("cut off"));
        Assert.Contains(messages, m => m.StartsWith(folder.MetricsCsv, StringComparison.Ordinal) && m.Contains("cut off"));
    }

    [Fact]
    public async Task AResumeBeforeTheFirstCheckpointStartsCleanWithoutRepeatedSteps()
    {
        var experiment = Micro("early", checkpointEvery: 100);
        var folder = Experiment.Folder(experiment);
        await CrashBefore(experiment, crashBefore: 4);
        Assert.Equal([1L, 2, 3], JsonlSteps(folder));

        var resumed = await Resume(experiment);

        Assert.Equal([1L, 2, 3, 4, 5, 6], resumed.Select(r => r.Step));
        Assert.Equal([1L, 2, 3, 4, 5, 6], JsonlSteps(folder));
        Assert.Equal([1L, 2, 3, 4, 5, 6], CsvSteps(folder));
        Assert.Contains(messages, m => m.Contains("left no checkpoint"));
    }

    [Fact]
    public async Task WhatAKilledCheckpointWriteLeftBehindIsRemovedAtStart()
    {
        var experiment = Micro("stale");
        var folder = Experiment.Folder(experiment);
        await CrashBefore(experiment, crashBefore: 5);
        var halfCheckpoint = Directory.CreateDirectory(Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(6) + ".tmp-0123abcd")).FullName;
        File.WriteAllText(Path.Combine(halfCheckpoint, "config.json"), "{");
        var halfFinal = Directory.CreateDirectory(folder.Final + ".tmp-89abcdef").FullName;
        var halfFile = folder.MetricsCsv + ".tmp-deadbeef";
        File.WriteAllText(halfFile, "run,pha");
        // Killed between setting best/ aside and moving its replacement in.
        if (Directory.Exists(folder.Best)) Directory.Delete(folder.Best, recursive: true);
        var aside = Directory.CreateDirectory(folder.Best + ".old-0badf00d").FullName;

        var starting = new Trainer(experiment, resume: true, log: messages.Add);
        starting.Dispose();

        Assert.False(Directory.Exists(halfCheckpoint));
        Assert.False(Directory.Exists(halfFinal));
        Assert.False(File.Exists(halfFile));
        Assert.False(Directory.Exists(aside));
        Assert.True(Directory.Exists(folder.Best));
        foreach (var path in new[] { halfCheckpoint, halfFinal, halfFile })
            Assert.Contains(messages, m => m.StartsWith(path, StringComparison.Ordinal) && m.Contains("removed"));
        Assert.Contains(messages, m => m.StartsWith(folder.Best, StringComparison.Ordinal) && m.Contains("put back"));
    }

    [Theory]
    [InlineData("optimizer.bin")]
    [InlineData("trainer_state.json")]
    [InlineData("model.safetensors")]
    [InlineData("rng_state.bin")]
    public async Task ADamagedNewestCheckpointFallsBackToTheNewestIntactOneNamingTheFile(string file)
    {
        var experiment = Micro("fallback");
        var folder = Experiment.Folder(experiment);
        await experiment.Run(log: _ => { }).LogTo(folder).LastAsync();
        var uninterrupted = File.ReadAllLines(folder.MetricsJsonl);
        var newest = Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(6));
        var damaged = Path.Combine(newest, file);
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(damaged, bytes);

        var resumed = await Resume(experiment);

        Assert.Equal([5L, 6], resumed.Select(r => r.Step));
        var said = Assert.Single(messages, m => m.Contains("continuing from"));
        Assert.StartsWith(damaged, said);
        Assert.Contains(CheckpointStore.NameFor(4), said);
        Assert.True(Directory.Exists(Path.Combine(folder.Checkpoints, "damaged-" + CheckpointStore.NameFor(6))));
        // Steps 5 and 6 again from the step-4 checkpoint: the same run, line for line.
        Assert.Equal(uninterrupted.Select(Comparable), File.ReadAllLines(folder.MetricsJsonl).Select(Comparable));
    }

    /// <summary>A log line without its wall-clock time, which differs between runs.</summary>
    static string Comparable(string line)
    {
        var r = StepReportJson.Deserialize(line);
        return $"{r.Step} {r.Epoch} {r.LearningRate:R} {string.Join(" ", r.Metrics.Select(m => $"{m.Key}={m.Value:R}"))}";
    }

    [Fact]
    public async Task NoIntactCheckpointIsAnErrorListingEachWithItsFile()
    {
        var experiment = Micro("all-damaged") with { Steps = 4 };
        var folder = Experiment.Folder(experiment);
        await experiment.Run(log: _ => { }).LogTo(folder).LastAsync();
        foreach (var step in new[] { 2, 4 })
            File.WriteAllText(Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(step), TrainerState.FileName), "{\"step\": ");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Resume(experiment));

        Assert.StartsWith(folder.Checkpoints + ": no intact checkpoint", error.Message);
        foreach (var step in new[] { 2, 4 })
            Assert.Contains(Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(step), TrainerState.FileName), error.Message);
    }

    [Fact]
    public void ADamagedGeneratorStateNeverReachesLibtorch()
    {
        TorchRuntime.Initialize();
        var valid = GeneratorState.Current();
        Assert.Null(GeneratorState.Problem(valid));
        Assert.Contains("bytes where", GeneratorState.Problem(valid[..(valid.Length / 2)]));
        var badPosition = valid.ToArray();
        BitConverter.GetBytes(0).CopyTo(badPosition, 8);
        Assert.Contains("'left' is 0", GeneratorState.Problem(badPosition));

        // A checkpoint from before checksums, its generator state cut short: re-seeded from seed and step, with a warning.
        var checkpoint = Directory.CreateDirectory(Path.Combine(corpus, "checkpoint")).FullName;
        var state = new TrainerState(Step: 12, Epoch: 1, BatchInEpoch: 3, Seed: 7);
        state.Save(checkpoint);
        File.WriteAllBytes(Path.Combine(checkpoint, TrainerState.RngFileName), valid[..100]);
        state.RestoreRng(checkpoint, messages.Add);
        using var first = TorchSharp.torch.rand(3);
        state.RestoreRng(checkpoint, messages.Add);
        using var second = TorchSharp.torch.rand(3);
        Assert.True(first.eq(second).all().item<bool>());
        Assert.All(messages, m => Assert.StartsWith(Path.Combine(checkpoint, TrainerState.RngFileName) + ": damaged (100 bytes", m));
        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public void CheckpointChecksumsAreThoseOfSha256sum()
    {
        var folder = Directory.CreateDirectory(Path.Combine(corpus, "sums")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.json"), "{}");
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), [1, 2, 3]);
        CheckpointChecksums.Write(folder);
        Assert.Null(CheckpointChecksums.Problem(folder));
        Assert.Equal(
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a  a.json\n" +
            "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81  b.bin\n",
            File.ReadAllText(Path.Combine(folder, CheckpointChecksums.FileName)));
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), [1, 2, 4]);
        Assert.Equal($"{Path.Combine(folder, "b.bin")}: damaged (its SHA-256 differs from {CheckpointChecksums.FileName})", CheckpointChecksums.Problem(folder));
    }

    [Fact]
    public async Task ARunWhoseUpdatesWereAllSkippedFailsAndWritesNoModel()
    {
        // β so large that the penalty term, and with it every loss, is infinite in float32.
        var experiment = Micro("diverged") with { Steps = 3, FeaturePenaltyWeight = 1e300 };
        var folder = Experiment.Folder(experiment);

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
            await experiment.Run(log: _ => { }).LogTo(folder).LastAsync());

        Assert.StartsWith($"{folder.Path}: all 3 updates were skipped", error.Message);
        Assert.False(Directory.Exists(folder.Best));
        Assert.False(Directory.Exists(folder.Final));
        Assert.Equal([1.0, 2, 3], JsonLinesLog.Read(folder.MetricsJsonl).Select(r => r.Metric("skipped_steps")!.Value));
    }
}
