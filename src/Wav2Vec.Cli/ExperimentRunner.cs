using System.Reactive.Linq;
using Spectre.Console;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Cli;

/// <summary>Runs a description headless: run logs, a progress display, and Ctrl+C as a graceful stop.</summary>
static class ExperimentRunner
{
    /// <summary>
    /// Runs <paramref name="description"/> to its end (or to Ctrl+C, which stops at the next step with a checkpoint)
    /// and returns its last report, or null when it had nothing left to do.
    /// </summary>
    public static async Task<StepReport?> RunToEnd(ExperimentDescription description, bool resume) =>
        (await RunToEnd((stop, log, retry) => description.Run(resume || retry, stop, log).LogTo(Experiment.Folder(description)),
            "continue with --resume")).Last;

    /// <summary>
    /// Runs what <paramref name="run"/> starts (given the Ctrl+C token, the console for messages, and whether this is a
    /// retry that must resume) with a progress display; returns its last report (null when it had nothing to do) and
    /// whether Ctrl+C stopped it. A lost TorchSharp scalar resumes the run by itself (<see cref="LostScalarRetry"/>).
    /// <paramref name="resumeHint"/> tells how to continue a stopped run.
    /// </summary>
    public static async Task<(StepReport? Last, bool Stopped)> RunToEnd(Func<CancellationToken, Action<string>, bool, IObservable<StepReport>> run,
        string resumeHint)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            AnsiConsole.MarkupLine($"[yellow]stopping after this step (a checkpoint is written; {Markup.Escape(resumeHint)})…[/]");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Action<string> log = message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
            var last = await LostScalarRetry.Retrying(retry => run(stop.Token, log, retry),
                    message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"))
                .ShowProgress()
                .LastOrDefaultAsync();
            if (stop.IsCancellationRequested)
                AnsiConsole.MarkupLine($"[yellow]stopped at step {last?.Step}; {Markup.Escape(resumeHint)}.[/]");
            return (last, stop.IsCancellationRequested);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
