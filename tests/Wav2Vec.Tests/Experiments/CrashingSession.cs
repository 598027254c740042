using System.Reactive.Linq;
using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// Wraps a session and dies before step <paramref name="crashBefore"/> runs, as <c>kill -9</c> would: the pipeline
/// reports the error and writes no checkpoint, so only the periodic ones remain. <paramref name="error"/> makes the
/// exception (default: an <see cref="IOException"/>), e.g. the error libtorch throws when TorchSharp lost a scalar.
/// </summary>
sealed class CrashingSession(ITrainingSession inner, long crashBefore, Func<Exception>? error = null) : ITrainingSession
{
    public long Step => inner.Step;
    public long TotalSteps => inner.TotalSteps;

    public StepReport Next() =>
        inner.Step + 1 == crashBefore ? throw error?.Invoke() ?? new IOException($"killed before step {crashBefore}") : inner.Next();

    public string? SaveCheckpoint() => inner.SaveCheckpoint();

    /// <summary>
    /// Runs <paramref name="experiment"/> until it is killed before step <paramref name="crashBefore"/> (the
    /// <see cref="IOException"/> asserted), then resumes it: the reports before the kill and those after the resume.
    /// </summary>
    public static async Task<(IList<StepReport> BeforeKill, IList<StepReport> Resumed)> KillAndResume(ExperimentDescription experiment, long crashBefore)
    {
        var seen = new List<StepReport>();
        await Assert.ThrowsAsync<IOException>(async () => await TrainingPipeline.Run(() => new CrashingSession(new Trainer(experiment), crashBefore))
            .Do(seen.Add).ToList());
        return (seen, await TrainingPipeline.Run(() => new Trainer(experiment, resume: true)).ToList());
    }

    /// <summary>Each of <paramref name="reports"/> has the values of <paramref name="whole"/>'s report of the same step for every metric named.</summary>
    public static void AssertSameMetrics(IEnumerable<StepReport> whole, IEnumerable<StepReport> reports, params string[] metrics)
    {
        foreach (var report in reports)
        {
            var reference = whole.Single(r => r.Step == report.Step);
            foreach (var name in metrics) Assert.Equal(reference.Metric(name), report.Metric(name));
        }
    }

    public void Dispose() => inner.Dispose();
}
