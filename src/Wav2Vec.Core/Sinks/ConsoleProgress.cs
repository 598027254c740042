using Spectre.Console;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Progress of a run on the console. On an interactive terminal: a Spectre.Console bar per run and phase with
/// percentage, elapsed time, ETA and headline metrics, redrawn in place. Otherwise (CI, a log file, a pipe):
/// plain <see cref="ProgressText.Line"/>s — the first report of each run and phase, then one whenever
/// <c>interval</c> of run time has passed, and the last — so logs stay readable. Use through
/// <see cref="SinkExtensions.ShowProgress"/>.
/// </summary>
public sealed class ConsoleProgress : IObserver<StepReport>, IDisposable
{
    readonly IAnsiConsole console;
    readonly TimeSpan interval;
    readonly Dictionary<(string, Phase), StepReport> lastPrinted = [];
    readonly Dictionary<(string, Phase), ProgressTask> bars = [];
    readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Task? display;
    readonly TaskCompletionSource<ProgressContext> context = new(TaskCreationOptions.RunContinuationsAsynchronously);
    StepReport? latest;
    int disposed;

    /// <summary>Progress on <paramref name="console"/> (default: the process console); plain lines every <paramref name="interval"/> (default 10 s) when not interactive.</summary>
    public ConsoleProgress(IAnsiConsole? console = null, TimeSpan? interval = null)
    {
        this.console = console ?? AnsiConsole.Console;
        this.interval = interval ?? TimeSpan.FromSeconds(10);
        Interactive = this.console.Profile.Capabilities.Interactive;
        if (!Interactive) return;
        display = this.console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                context.SetResult(ctx);
                await finished.Task;
                ctx.Refresh();
            });
    }

    /// <summary>True when a live bar is drawn; false when plain lines are written.</summary>
    public bool Interactive { get; }

    /// <inheritdoc />
    public void OnNext(StepReport value)
    {
        latest = value;
        if (Interactive) Draw(value);
        else if (!lastPrinted.TryGetValue((value.Run, value.Phase), out var last) || value.Elapsed - last.Elapsed >= interval) Print(value);
    }

    /// <summary>
    /// Ends the display, printing the last report if it was not shown yet. The failure itself is left to whoever
    /// awaits the run (the CLI's one-line error with its hint, a notebook cell's error), so it is reported once.
    /// </summary>
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <summary>Prints the last report if it was not shown yet and ends the live display.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        if (!Interactive && latest is { } last && !ReferenceEquals(lastPrinted.GetValueOrDefault((last.Run, last.Phase)), last)) Print(last);
        finished.TrySetResult();
        display?.GetAwaiter().GetResult();
    }

    void Print(StepReport r)
    {
        lastPrinted[(r.Run, r.Phase)] = r;
        // Straight to the writer: the console would wrap at its assumed width, splitting log lines.
        console.Profile.Out.Writer.WriteLine(ProgressText.Line(r));
        console.Profile.Out.Writer.Flush();
    }

    void Draw(StepReport r)
    {
        var ctx = context.Task.GetAwaiter().GetResult();
        if (!bars.TryGetValue((r.Run, r.Phase), out var bar))
        {
            bar = ctx.AddTask(Describe(r), maxValue: Math.Max(1, r.TotalSteps ?? 1));
            bar.IsIndeterminate = r.TotalSteps is null;
            bars[(r.Run, r.Phase)] = bar;
        }
        bar.Description = Describe(r);
        bar.Value = r.TotalSteps is null ? 0 : r.Step;
    }

    static string Describe(StepReport r) =>
        Markup.Escape($"{r.Run} {StepReport.PhaseName(r.Phase)} {r.Step}{(r.TotalSteps is { } t ? "/" + t : "")}  {ProgressText.Metrics(r, 3)}");
}
