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
    public void Dispose() => inner.Dispose();
}
