using System.Collections.Concurrent;
using System.Reactive;
using System.Reactive.Disposables;

namespace Wav2Vec.Data;

/// <summary>Bounded hand-off between a producing thread (decoding) and a consuming thread (training).</summary>
public static class PrefetchOperator
{
    /// <summary>
    /// Runs the source on its own thread, at most <paramref name="capacity"/> items ahead of the subscriber, which is
    /// called on another dedicated thread. Unlike <c>ObserveOn</c>, whose queue grows without limit behind a slow
    /// consumer, the producer blocks when the buffer is full, so memory stays bounded. Disposing stops both threads.
    /// </summary>
    public static IObservable<T> Prefetch<T>(this IObservable<T> source, int capacity) =>
        System.Reactive.Linq.Observable.Create<T>(observer =>
        {
            var queue = new BlockingCollection<Notification<T>>(capacity);
            var stop = new CancellationTokenSource();
            var upstream = new SingleAssignmentDisposable();
            var producer = new Thread(() =>
            {
                // Add throws once disposed; the exception unwinds a synchronous source out of its loop.
                void Put(Notification<T> n) => queue.Add(n, stop.Token);
                try
                {
                    upstream.Disposable = source.Subscribe(
                        x => Put(Notification.CreateOnNext(x)),
                        e => Put(Notification.CreateOnError<T>(e)),
                        () => Put(Notification.CreateOnCompleted<T>()));
                }
                catch (OperationCanceledException) { }
            }) { IsBackground = true, Name = "prefetch-producer" };
            var consumer = new Thread(() =>
            {
                try
                {
                    foreach (var n in queue.GetConsumingEnumerable(stop.Token))
                    {
                        n.Accept(observer);
                        if (n.Kind != NotificationKind.OnNext) break;
                    }
                }
                catch (OperationCanceledException) { }
            }) { IsBackground = true, Name = "prefetch-consumer" };
            producer.Start();
            consumer.Start();
            return Disposable.Create(() =>
            {
                stop.Cancel();
                upstream.Dispose();
            });
        });
}
