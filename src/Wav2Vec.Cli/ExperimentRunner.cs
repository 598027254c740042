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
    public static async Task<StepReport?> RunToEnd(ExperimentDescription description, bool resume)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            AnsiConsole.MarkupLine("[yellow]stopping after this step (a checkpoint is written; continue with --resume)…[/]");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var folder = Experiment.Folder(description);
            var last = await description.Run(resume, stop.Token, message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"))
                .LogTo(folder)
                .ShowProgress()
                .LastOrDefaultAsync();
            if (stop.IsCancellationRequested)
                AnsiConsole.MarkupLine($"[yellow]stopped at step {last?.Step}; continue with --resume.[/]");
            return last;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
