using System.Reactive.Linq;
using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

public class TrainingPipelineTests
{
    sealed class CountingSession(long total, int failAt = -1, TimeSpan? delay = null, int checkpointEvery = 0) : ITrainingSession
    {
        public long Step { get; private set; }
        public long TotalSteps => total;
        public List<long> Checkpoints { get; } = [];
        public bool Disposed { get; private set; }
        public int ThreadId { get; private set; }

        public StepReport Next()
        {
            ThreadId = Environment.CurrentManagedThreadId;
            if (delay is { } d) Thread.Sleep(d);
            if (Step + 1 == failAt) throw new InvalidOperationException($"step {failAt} failed");
            Step++;
            var checkpoint = checkpointEvery > 0 && Step % checkpointEvery == 0 ? $"ckpt-{Step}" : null;
            return StepReport.Create("t", Phase.Pretrain, Step, 0, TimeSpan.Zero, 1e-3, [new("loss", 1.0 / Step)], total, checkpoint);
        }

        public string? SaveCheckpoint() { Checkpoints.Add(Step); return $"ckpt-{Step}"; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task RunsEveryStepThenCheckpointsAndCompletes()
    {
        var session = new CountingSession(5);
        var reports = await TrainingPipeline.Run(() => session).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], reports.Select(r => r.Step));
        Assert.Equal([5L], session.Checkpoints);
        Assert.True(session.Disposed);
        Assert.NotEqual(Environment.CurrentManagedThreadId, session.ThreadId);
    }

    [Fact]
    public async Task ACheckpointAReportAnnouncesIsWrittenOnlyAfterTheReportWasDelivered()
    {
        var session = new CountingSession(5, checkpointEvery: 2);
        var checkpointsWhenDelivered = new List<List<long>>();
        await TrainingPipeline.Run(() => session).Do(_ => checkpointsWhenDelivered.Add([.. session.Checkpoints])).ToList();
        Assert.Equal([[], [], [2], [2], [2, 4]], checkpointsWhenDelivered);
        Assert.Equal([2L, 4, 5], session.Checkpoints);
    }

    [Fact]
    public async Task IsColdEachSubscriptionStartsItsOwnSession()
    {
        int started = 0;
        var run = TrainingPipeline.Run(() => { Interlocked.Increment(ref started); return new CountingSession(2); });
        Assert.Equal(0, started);
        await run.ToList();
        await run.ToList();
        Assert.Equal(2, started);
    }

    [Fact]
    public async Task DisposingStopsWithinOneStepAndLeavesACheckpoint()
    {
        var session = new CountingSession(1_000_000, delay: TimeSpan.FromMilliseconds(2));
        var third = new TaskCompletionSource();
        var subscription = TrainingPipeline.Run(() => session).Subscribe(r => { if (r.Step == 3) third.TrySetResult(); });
        await third.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stepAtDispose = session.Step;
        subscription.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!session.Disposed && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.True(session.Disposed, "session was not disposed after the subscription was");
        Assert.InRange(session.Step, stepAtDispose, stepAtDispose + 1);
        Assert.Equal([session.Step], session.Checkpoints);
    }

    [Fact]
    public async Task AFailingStepArrivesAsOnErrorWithTheCause()
    {
        var session = new CountingSession(10, failAt: 4);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await TrainingPipeline.Run(() => session).ToList());
        Assert.Equal("step 4 failed", error.Message);
        Assert.Equal(3, session.Step);
        Assert.True(session.Disposed);
    }

    [Fact]
    public async Task StandardRxOperatorsComposeOnTheReports()
    {
        var losses = await TrainingPipeline.Run(() => new CountingSession(10))
            .Where(r => r.Step % 2 == 0)
            .Select(r => r.Metric("loss")!.Value)
            .Scan(double.MaxValue, Math.Min)
            .ToList();
        Assert.Equal(5, losses.Count);
        Assert.Equal(0.1, losses[^1], 12);
    }
}
