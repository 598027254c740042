using System.Diagnostics;
using System.Reactive.Linq;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;
using Wav2Vec.Tests.Experiments;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// Run-folder accidents through the real command line: two processes on one folder, a generator state that used to
/// abort the process inside libtorch, a run that never applied an update.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class RunFolderCommandLineTests : IDisposable
{
    readonly string corpus = TinyCorpus.Create(count: 6);

    public void Dispose() => Directory.Delete(corpus, recursive: true);

    PretrainExperiment Micro(string name, int steps) =>
        PretrainingRunTests.Micro(corpus, Path.Combine(corpus, "runs"), name) with { Steps = steps };

    string Save(ExperimentDescription experiment, string file)
    {
        var path = Path.Combine(corpus, file);
        ExperimentJson.Save(experiment, path);
        return path;
    }

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public void ASecondRunOfAFolderExitsWithOneErrorNamingItsHolderAndAKilledHolderReleasesIt()
    {
        // No checkpoint before the kill, so the run started afterwards begins at step 0.
        var experiment = Micro("shared", steps: 500) with { Output = new OutputSpec { Folder = Path.Combine(corpus, "runs"), CheckpointEvery = 1000 } };
        var folder = Experiment.Folder(experiment);
        var file = Save(experiment, "shared.json");
        var first = CliProcess.Start("run", file);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(folder.MetricsJsonl) && !first.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(first.HasExited, "the first run ended before the second started");

            var second = Cli.Run("run", file, "--resume");

            Assert.Equal(1, second.ExitCode);
            var lines = Lines(second.Stderr);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith($"error: run folder is in use by pid {first.Id} on {Environment.MachineName} since ", lines[0]);
            Assert.EndsWith($" UTC ({folder.Path})", lines[0]);
            Assert.StartsWith("hint: wait for that run to finish", lines[1]);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
        // The kill released the lock; the holder file still names the dead process and stops no one.
        Assert.Contains($"pid {first.Id} ", File.ReadAllText(folder.Holder));
        var after = Cli.Run("run", Save(experiment with { Steps = 2 }, "shared-short.json"), "--resume");
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Equal([1L, 2], JsonLinesLog.Read(folder.MetricsJsonl).Select(r => r.Step));
    }

    [Fact]
    public async Task AGeneratorStateCutShortIsReseededWithAWarningInsteadOfAbortingTheProcess()
    {
        var experiment = Micro("cut-rng", steps: 6);
        var folder = Experiment.Folder(experiment);
        await Assert.ThrowsAsync<IOException>(async () =>
            await TrainingPipeline.Run(() => new CrashingSession(new Trainer(experiment, log: _ => { }), crashBefore: 5)).LogTo(folder).LastAsync());
        // A checkpoint written before checkpoints had checksums, whose rng_state.bin was cut short.
        var newest = Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(4));
        File.Delete(Path.Combine(newest, CheckpointChecksums.FileName));
        var rng = Path.Combine(newest, TrainerState.RngFileName);
        File.WriteAllBytes(rng, File.ReadAllBytes(rng)[..100]);

        var run = Cli.Run("run", Save(experiment, "cut-rng.json"), "--resume");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Stderr}");
        // The console wraps long lines; compare without white space.
        Assert.Contains(Squeezed($"{rng}: damaged (100 bytes"), Squeezed(run.Stdout));
        Assert.Contains("re-seeded", Squeezed(run.Stdout));
        Assert.Equal([1L, 2, 3, 4, 5, 6], JsonLinesLog.Read(folder.MetricsJsonl).Select(r => r.Step));
    }

    [Fact]
    public void ARunWhoseUpdatesWereAllSkippedExitsWithAnError()
    {
        var experiment = Micro("diverged", steps: 2) with { FeaturePenaltyWeight = 1e300 };

        var run = Cli.Run("run", Save(experiment, "diverged.json"));

        Assert.Equal(1, run.ExitCode);
        var lines = Lines(run.Stderr);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: all 2 updates were skipped because the loss or the gradient was not finite", lines[0]);
        Assert.EndsWith($"({Experiment.Folder(experiment).Path})", lines[0]);
        Assert.False(Directory.Exists(Experiment.Folder(experiment).Final));
    }
}
