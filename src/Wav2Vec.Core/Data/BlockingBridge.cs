using System.Collections.Concurrent;
using System.Reactive;

namespace Wav2Vec.Data;

/// <summary>
/// The data path's one hand-off between threads: a step-driven trainer pulls from the push-based Rx pipeline, which
/// decodes on its own thread, without unbounded buffering.
/// </summary>
public static class BlockingBridge
{
    /// <summary>
    /// Subscribes to <paramref name="source"/> on a dedicated producer thread and yields its items, at most
    /// <paramref name="capacity"/> ahead of the consumer: the producer blocks inside <c>OnNext</c> when the buffer is
    /// full, so a fast decoder never races ahead of training (Rx's own <c>ToEnumerable</c> queues without limit).
    /// An <c>OnError</c> is rethrown to the consumer; disposing the enumerator stops the producer (a synchronous
    /// source sees an <see cref="OperationCanceledException"/> thrown from <c>OnNext</c>).
    /// </summary>
    public static IEnumerable<T> ToBlockingEnumerable<T>(this IObservable<T> source, int capacity = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        using var queue = new BlockingCollection<Notification<T>>(capacity);
        using var stop = new CancellationTokenSource();
        IDisposable? subscription = null;
        var producer = new Thread(() =>
        {
            // A synchronous source runs its whole loop inside Subscribe, before its disposable exists: the only way to
            // stop it is to throw out of OnNext, which the consumer's cancellation does.
            void Put(Notification<T> n) => queue.Add(n, stop.Token);
            void PutFinal(Notification<T> n)
            {
                try { Put(n); }
                catch (OperationCanceledException) { }
            }
            try
            {
                subscription = source.Subscribe(
                    x => Put(Notification.CreateOnNext(x)),
                    e => PutFinal(Notification.CreateOnError<T>(e)),
                    () => PutFinal(Notification.CreateOnCompleted<T>()));
            }
            catch (OperationCanceledException) { }
        }) { IsBackground = true, Name = "data-producer" };
        producer.Start();
        try
        {
            foreach (var n in queue.GetConsumingEnumerable(stop.Token))
            {
                if (n.Kind == NotificationKind.OnError) throw n.Exception!;
                if (n.Kind == NotificationKind.OnCompleted) yield break;
                yield return n.Value;
            }
        }
        finally
        {
            stop.Cancel();
            producer.Join(TimeSpan.FromSeconds(30));
            subscription?.Dispose();
        }
    }
}
