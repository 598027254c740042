using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;
using Wav2Vec.Tests.Experiments;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// TorchSharp 0.107 can free a temporary scalar while libtorch reads it; the run then meets an error that says nothing
/// about it, at no particular step. Such a run resumes from its newest checkpoint by itself, to the metrics of an
/// uninterrupted run; any other error still ends it.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class LostScalarRetryTests : IDisposable
{
    const string LostScalar = "Expected false to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)";
    readonly string corpus = TinyCorpus.Create();

    public void Dispose() => Directory.Delete(corpus, true);

    static IEnumerable<string> Comparable(ExperimentDescription d) =>
        JsonLinesLog.Read(Experiment.Folder(d).MetricsJsonl).Select(r =>
            $"{r.Step} {r.Epoch} {r.LearningRate:R} " + string.Join(" ", r.Metrics.Select(m => $"{m.Key}={m.Value:R}")));

    [Theory]
    [InlineData(LostScalar, true)]
    [InlineData("false INTERNAL ASSERT FAILED at \"/pytorch/c10/core/Scalar.h\":279, please report a bug to PyTorch", true)]
    [InlineData("Expected 3-dimensional input for 3-dimensional weight [128, 1, 10], but got 2-dimensional input", false)]
    [InlineData("Input type (CPUFloatType) and weight type (CPUBFloat16Type) should be the same", false)]
    public void TheLostScalarIsToldFromLibtorchsOtherErrors(string message, bool lost)
    {
        Assert.Equal(lost, LostScalarRetry.Is(new ExternalException(message)));
        Assert.Equal(lost, LostScalarRetry.Is(new AggregateException(new InvalidOperationException("wrapped", new ExternalException(message)))));
        Assert.False(LostScalarRetry.Is(new InvalidOperationException(message)));
    }

    [Fact]
    public async Task ARunThatLosesAScalarResumesByItselfToTheMetricsOfAnUninterruptedRun()
    {
        var runs = Path.Combine(corpus, "runs");
        var micro = PretrainingRunTests.Micro(corpus, runs, "whole") with { Steps = 6 };
        await micro.Run().LogTo(Experiment.Folder(micro)).LastAsync();

        var lost = micro with { Name = "lost" };
        var (attempts, messages) = (new List<bool>(), new List<string>());
        var reports = await LostScalarRetry.Retrying(resume =>
        {
            attempts.Add(resume);
            // The first attempt fails inside step 5, after the step-4 checkpoint, as libtorch would.
            return TrainingPipeline.Run(() => attempts.Count == 1
                    ? new CrashingSession(new Trainer(lost, resume), crashBefore: 5, () => new ExternalException(LostScalar))
                    : new Trainer(lost, resume))
                .LogTo(Experiment.Folder(lost));
        }, messages.Add).ToList();

        Assert.Equal([false, true], attempts);
        Assert.Equal([1L, 2, 3, 4, 5, 6], reports.Select(r => r.Step));
        Assert.Contains("(after step 4, in CrashingSession.Next)", Assert.Single(messages));
        Assert.Equal(Comparable(micro), Comparable(lost));
    }

    [Fact]
    public async Task EachRetryNamesTheStepItsOwnAttemptReached()
    {
        var lost = PretrainingRunTests.Micro(corpus, Path.Combine(corpus, "runs"), "twice") with { Steps = 6 };
        var (attempts, messages) = (0, new List<string>());
        var reports = await LostScalarRetry.Retrying(resume =>
        {
            attempts++;
            // The first attempt fails inside step 6 (checkpoint at 4), the second on resuming, before step 5.
            return TrainingPipeline.Run(() => attempts switch
                {
                    1 => new CrashingSession(new Trainer(lost, resume), crashBefore: 6, () => new ExternalException(LostScalar)),
                    2 => new CrashingSession(new Trainer(lost, resume), crashBefore: 5, () => new ExternalException(LostScalar)),
                    _ => new Trainer(lost, resume),
                })
                .LogTo(Experiment.Folder(lost));
        }, messages.Add).ToList();

        Assert.Equal(3, attempts);
        Assert.Equal(6, reports[^1].Step);
        Assert.Equal(2, messages.Count);
        Assert.Contains("(after step 5, in CrashingSession.Next)", messages[0]);
        Assert.Contains("(before the resumed run's first step, in CrashingSession.Next)", messages[1]);
    }

    // Methods that meet a lost scalar as a forward pass would: directly, in a lambda, in an iterator.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ForwardPass() => throw new ExternalException(LostScalar);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void PassWithALambda()
    {
        Action pass = () => throw new ExternalException(LostScalar);
        pass();
    }

    static IEnumerable<int> PassByPass()
    {
        yield return 1;
        throw new ExternalException(LostScalar);
    }

    [Fact]
    public void TheRetryNamesTheMethodThatMetTheLostScalar()
    {
        Assert.Equal("in LostScalarRetryTests.ForwardPass", LostScalarRetry.Where(Assert.Throws<ExternalException>(ForwardPass)));
        Assert.Equal("in LostScalarRetryTests.PassWithALambda", LostScalarRetry.Where(Assert.Throws<ExternalException>(PassWithALambda)));
        var wrapped = new AggregateException(Assert.Throws<ExternalException>(() => PassByPass().ToList()));
        Assert.Equal("in LostScalarRetryTests.PassByPass", LostScalarRetry.Where(wrapped));
        // Never thrown (no stack), or not a lost scalar: nothing to name.
        Assert.Null(LostScalarRetry.Where(new ExternalException(LostScalar)));
        Assert.Null(LostScalarRetry.Where(new InvalidOperationException(LostScalar)));
    }

    [Fact]
    public async Task OtherErrorsAndALostScalarPastTheRetriesEndTheRun()
    {
        var messages = new List<string>();
        var other = await Assert.ThrowsAsync<ExternalException>(async () => await LostScalarRetry.Retrying(
            _ => Observable.Throw<StepReport>(new ExternalException("Input type (CPUFloatType) and weight type (CPUBFloat16Type) should be the same")),
            messages.Add).ToList());
        Assert.Contains("CPUBFloat16Type", other.Message);
        Assert.Empty(messages);

        var attempts = 0;
        var again = await Assert.ThrowsAsync<ExternalException>(async () => await LostScalarRetry.Retrying(
            _ => { attempts++; return Observable.Throw<StepReport>(new ExternalException(LostScalar)); }, messages.Add, retries: 2).ToList());
        Assert.Equal(3, attempts);
        Assert.Equal(2, messages.Count);
        Assert.Contains("retry 2 of 2", messages[1]);
        Assert.Equal(LostScalar, again.Message);
    }
}
