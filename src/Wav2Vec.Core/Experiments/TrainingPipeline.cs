using System.Reactive.Linq;
using TorchSharp;

namespace Wav2Vec.Experiments;

/// <summary>Turns a training session factory into a cold <see cref="IObservable{StepReport}"/>.</summary>
public static class TrainingPipeline
{
    /// <summary>
    /// Each subscription starts a fresh session on its own thread and pushes one <see cref="StepReport"/> per
    /// step, then writes the checkpoint the report announces. Sinks run synchronously on that thread, so a slow sink slows training instead of letting reports
    /// pile up. Disposing the subscription stops the run at the next step boundary and writes a checkpoint;
    /// so does finishing. A failure arrives as <c>OnError</c> with the cause; the session's periodic
    /// checkpoints are left as they were (a failing step may have left the model half-updated).
    /// </summary>
    /// <remarks>
    /// <paramref name="stop"/> is the graceful alternative to disposing (Ctrl+C in the CLI): the run stops at the next
    /// step boundary, checkpoints and completes normally, and the caller can wait for that.
    /// </remarks>
    public static IObservable<StepReport> Run(Func<ITrainingSession> start, CancellationToken stop = default) =>
        Observable.Create<StepReport>((observer, cancel) => Task.Factory.StartNew(() =>
        {
            ITrainingSession? session = null;
            Exception? failure = null;
            try
            {
                session = start();
                while (session.Step < session.TotalSteps && !cancel.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    StepReport report;
                    using (torch.NewDisposeScope()) report = session.Next();
                    observer.OnNext(report);
                    // After the sinks have logged the step: a run killed in between resumes from an older checkpoint
                    // and logs this step again, instead of resuming past a step its logs never received.
                    if (report.Checkpoint is not null) session.SaveCheckpoint();
                }
                session.SaveCheckpoint();
            }
            catch (Exception error)
            {
                failure = error;
            }
            // The session (model, optimiser, data threads) is released before the observer hears the end, so
            // whoever awaits the run finds nothing left running.
            try
            {
                session?.Dispose();
            }
            catch (Exception error)
            {
                failure ??= error;
            }
            if (failure is not null) observer.OnError(failure);
            else if (!cancel.IsCancellationRequested) observer.OnCompleted();
        }, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default));
}
