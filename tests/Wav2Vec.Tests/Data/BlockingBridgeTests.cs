using System.Reactive.Linq;
using Wav2Vec.Data;

namespace Wav2Vec.Tests.Data;

public class BlockingBridgeTests
{
    [Fact]
    public void YieldsEveryItemInOrder()
    {
        Assert.Equal(Enumerable.Range(0, 100), Observable.Range(0, 100).ToBlockingEnumerable(3));
    }

    [Fact]
    public void TheProducerNeverRunsMoreThanCapacityAheadOfTheConsumer()
    {
        long produced = 0;
        var source = Observable.Create<int>((observer, cancel) =>
        {
            for (int i = 0; i < 1000 && !cancel.IsCancellationRequested; i++)
            {
                Interlocked.Increment(ref produced);
                observer.OnNext(i);
            }
            observer.OnCompleted();
            return Task.CompletedTask;
        });
        long maxLead = 0, consumed = 0;
        foreach (var _ in source.ToBlockingEnumerable(capacity: 4))
        {
            consumed++;
            if (consumed % 50 == 0) Thread.Sleep(5); // a slow consumer
            maxLead = Math.Max(maxLead, Interlocked.Read(ref produced) - consumed);
        }
        Assert.Equal(1000, consumed);
        Assert.InRange(maxLead, 0, 4 + 1); // buffer plus the one item blocked in OnNext
    }

    [Fact]
    public void AnErrorReachesTheConsumerWithItsCause()
    {
        var source = Observable.Range(0, 3).Concat(Observable.Throw<int>(new InvalidDataException("corrupt.wav")));
        var seen = new List<int>();
        var error = Assert.Throws<InvalidDataException>(() => { foreach (var x in source.ToBlockingEnumerable()) seen.Add(x); });
        Assert.Equal("corrupt.wav", error.Message);
        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public void StoppingEarlyStopsTheProducer()
    {
        var stopped = new ManualResetEventSlim();
        var source = Observable.Create<int>((observer, cancel) =>
        {
            int i = 0;
            try
            {
                while (!cancel.IsCancellationRequested) observer.OnNext(i++);
            }
            finally { stopped.Set(); }
            return Task.CompletedTask;
        });
        Assert.Equal([0, 1, 2], source.ToBlockingEnumerable(2).Take(3));
        Assert.True(stopped.Wait(TimeSpan.FromSeconds(10)), "producer kept running after the consumer stopped");
    }
}
