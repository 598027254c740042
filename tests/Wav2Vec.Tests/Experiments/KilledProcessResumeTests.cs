using System.Diagnostics;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;
using Xunit.Abstractions;

namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// Resume after a crash, through the real command line: <c>wav2vec run X.json</c> is killed with SIGKILL at an arbitrary
/// moment after its first checkpoint, then <c>wav2vec run X.json --resume</c> finishes it; with one torch thread the
/// metrics log equals that of an uninterrupted run, step for step, with gradient accumulation.
/// </summary>
public class KilledProcessResumeTests(ITestOutputHelper output)
{
    static Process StartRun(string experiment, bool resume) =>
        resume ? CliProcess.Start("run", experiment, "--resume") : CliProcess.Start("run", experiment);

    static (int ExitCode, string Output) Finish(Process process)
    {
        var (code, stdout, stderr) = CliProcess.Finish(process);
        return (code, stdout + stderr);
    }

    static IEnumerable<string> Comparable(string run) =>
        JsonLinesLog.Read(Path.Combine(run, "metrics.jsonl")).Select(r =>
            $"{r.Step} {r.Epoch} {r.LearningRate:R} " + string.Join(" ", r.Metrics.Select(m => $"{m.Key}={m.Value:R}")));

    [Fact]
    public void ARunKilledWithSigkillResumesFromTheCommandLineToTheMetricsOfAnUninterruptedRun()
    {
        var corpus = TinyCorpus.Create();
        var runs = Path.Combine(corpus, "runs");
        // Two micro-batches per update, so the data cursor resumes inside the accumulation too.
        var micro = PretrainingRunTests.Micro(corpus, runs, "whole") with { Steps = 16, Accumulate = 2 };
        var wholeFile = Path.Combine(corpus, "whole.json");
        var killedFile = Path.Combine(corpus, "killed.json");
        ExperimentJson.Save(micro, wholeFile);
        ExperimentJson.Save(micro with { Name = "killed" }, killedFile);

        var whole = Finish(StartRun(wholeFile, resume: false));
        Assert.True(whole.ExitCode == 0, whole.Output);

        // Kill as soon as the second checkpoint is being written or later: mid-step, mid-log-line or mid-checkpoint.
        var killed = StartRun(killedFile, resume: false);
        var checkpoints = Path.Combine(runs, "killed", "checkpoints");
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(checkpoints) && Directory.GetFileSystemEntries(checkpoints).Length >= 2) && !killed.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(5);
        Assert.False(killed.HasExited, "the run ended before it could be killed; make it longer");
        killed.Kill(entireProcessTree: true);
        killed.WaitForExit();
        var linesAtKill = File.ReadAllLines(Path.Combine(runs, "killed", "metrics.jsonl")).Length;
        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:F1} s with {linesAtKill} metric lines written");
        Assert.InRange(linesAtKill, 1, micro.Steps - 1);

        var resumed = Finish(StartRun(killedFile, resume: true));
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Equal(Comparable(Path.Combine(runs, "whole")), Comparable(Path.Combine(runs, "killed")));
        Assert.True(File.Exists(Path.Combine(runs, "killed", "final", "config.json")));
        Directory.Delete(corpus, true);
    }
}
