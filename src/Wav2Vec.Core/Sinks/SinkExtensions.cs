using System.Reactive.Linq;
using Spectre.Console;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Sinks as pass-through Rx operators, so a run reads top to bottom:
/// <code>
/// experiment.Run()
///     .LogJsonLines("runs/tiny/metrics.jsonl")
///     .LogCsv("runs/tiny/metrics.csv")
///     .ShowProgress()
///     .Subscribe();
/// </code>
/// Each subscription opens its own sink and disposing the subscription closes it (<see cref="Observable.Using{TResult, TResource}(Func{TResource}, Func{TResource, IObservable{TResult}})"/>),
/// so a cancelled run still leaves a complete log.
/// </summary>
public static class SinkExtensions
{
    /// <summary>Passes reports on after feeding each to a sink created per subscription by <paramref name="create"/>.</summary>
    public static IObservable<StepReport> Through<TSink>(this IObservable<StepReport> reports, Func<TSink> create)
        where TSink : IObserver<StepReport>, IDisposable =>
        Observable.Using(create, sink => reports.Do(sink));

    /// <summary>Appends every report to a JSON Lines file (<see cref="JsonLinesLog"/>).</summary>
    public static IObservable<StepReport> LogJsonLines(this IObservable<StepReport> reports, string path) =>
        reports.Through(() => new JsonLinesLog(path));

    /// <summary>Writes every report to a CSV file whose columns follow the metrics (<see cref="CsvLog"/>).</summary>
    public static IObservable<StepReport> LogCsv(this IObservable<StepReport> reports, string path) =>
        reports.Through(() => new CsvLog(path));

    /// <summary>Writes every metric as a TensorBoard scalar under <paramref name="logDir"/> (<see cref="TensorBoardLog"/>).</summary>
    public static IObservable<StepReport> LogTensorBoard(this IObservable<StepReport> reports, string logDir) =>
        reports.Through(() => new TensorBoardLog(logDir));

    /// <summary>Shows a progress bar with ETA and headline metrics, or plain lines when output is not a terminal (<see cref="ConsoleProgress"/>).</summary>
    public static IObservable<StepReport> ShowProgress(this IObservable<StepReport> reports, IAnsiConsole? console = null, TimeSpan? interval = null) =>
        reports.Through(() => new ConsoleProgress(console, interval));
}
