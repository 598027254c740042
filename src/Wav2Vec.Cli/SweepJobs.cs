using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Wav2Vec.Experiments;
using Wav2Vec.Torch;

namespace Wav2Vec.Cli;

/// <summary>
/// Runs the unfinished points of a sweep N at a time on this machine, each as a process of this program running
/// <c>sweep SWEEP --index I</c> — the protocol a scheduler's array task follows — with its output lines prefixed
/// <c>[I]</c>. Points start as slots free up: those the results table has a compute time for longest first (so the
/// last to finish are short), after any it has none for, in index order.
/// </summary>
static class SweepJobs
{
    const int SigInt = 2, Restarts = 2;

    [DllImport("libc", EntryPoint = "kill")]
    static extern int Signal(int pid, int signal);

    /// <summary>
    /// Runs every unfinished point of <paramref name="points"/> (of <paramref name="sweepFile"/>, steps scaled by
    /// <paramref name="scale"/>), <paramref name="jobs"/> processes at a time, each with
    /// <c>WAV2VEC_THREADS</c> = cores / jobs unless the variable is set. A process that dies of a signal (a native
    /// abort) runs its point again, which resumes from its last checkpoint, at most twice; Ctrl+C passes on to every
    /// running point, which stops with a checkpoint, and no further point starts. Returns how many points failed and
    /// whether Ctrl+C stopped the sweep.
    /// </summary>
    public static async Task<(int Failed, bool Stopped)> Run(string sweepFile, string results, IReadOnlyList<SweepPoint<ExperimentDescription>> points,
        int jobs, double scale)
    {
        var unfinished = new List<SweepMissing>();
        for (var i = 0; i < points.Count; i++)
        {
            var status = SweepRuns.Status(points[i].Description);
            if (status.Finished)
                Console.Out.WriteLine($"point {i} {points[i].Description.Name}: finished, nothing to do ({Experiment.Folder(points[i].Description).Path})");
            else
                unfinished.Add(new SweepMissing(i, points[i], status));
        }
        var earlier = EarlierCompute(results, points, unfinished);
        double? Earlier(int i) => earlier.TryGetValue(i, out var seconds) ? seconds : null;
        var pending = new Queue<int>(unfinished.Select(m => m.Index)
            .OrderBy(i => Earlier(i) is null ? 0 : 1).ThenByDescending(i => Earlier(i) ?? 0).ThenBy(i => i));
        var threads = TorchRuntime.ThreadsFromEnvironment() is null ? Math.Max(1, Environment.ProcessorCount / jobs) : (int?)null;
        Console.Out.WriteLine($"{pending.Count} of {points.Count} points to run, {jobs} at a time" +
                              (threads is { } t ? $", {TorchRuntime.ThreadsVariable}={t} each" : "") +
                              (earlier.Count > 0 ? ", longest first by the compute of their rows in " + results : "") +
                              ": " + string.Join(", ", pending));
        var (gate, running, failed, stopped) = (new Lock(), new HashSet<Process>(), 0, false);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            lock (gate)
            {
                stopped = true;
                foreach (var process in running) Signal(process.Id, SigInt);
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            async Task Worker()
            {
                while (true)
                {
                    int index;
                    lock (gate)
                    {
                        if (stopped || !pending.TryDequeue(out index)) return;
                    }
                    var name = points[index].Description.Name;
                    for (var attempt = 0; ; attempt++)
                    {
                        var exit = await RunPoint(sweepFile, index, scale, threads, process =>
                            {
                                lock (gate)
                                {
                                    running.Add(process);
                                    if (stopped) Signal(process.Id, SigInt);
                                }
                            },
                            process => { lock (gate) running.Remove(process); });
                        if (exit == 0) break;
                        bool signalled = exit > 128 && exit != 128 + SigInt;
                        lock (gate)
                        {
                            if (signalled && !stopped && attempt < Restarts)
                            {
                                Console.Error.WriteLine($"[{index}] {name}: its process died of signal {exit - 128}; running it again from its last checkpoint ({attempt + 1} of {Restarts})");
                                continue;
                            }
                            failed++;
                            Console.Error.WriteLine($"point {index} {name}: its process exited with code {exit} (its lines above start with [{index}])");
                            break;
                        }
                    }
                }
            }
            await Task.WhenAll(Enumerable.Range(0, jobs).Select(_ => Task.Run(Worker)));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return (failed, stopped);
    }

    /// <summary>
    /// The compute time of each point of <paramref name="unfinished"/> that the results table has a row for, by index: the
    /// table's rows as a collect reads them (<see cref="SweepTable.Recorded"/>, matched by run name and settings); none
    /// when the table is absent or unreadable.
    /// </summary>
    static Dictionary<int, double> EarlierCompute(string results, IReadOnlyList<SweepPoint<ExperimentDescription>> points, IReadOnlyList<SweepMissing> unfinished)
    {
        try
        {
            var (recorded, _) = SweepTable.ReadCsv(results).Recorded(points, unfinished);
            return recorded.Where(r => r.ComputeSeconds > 0).ToDictionary(r => r.Index, r => r.ComputeSeconds);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return [];
        }
    }

    /// <summary>Runs point <paramref name="index"/> in a process of this program; returns its exit code (128 + N when signal N ended it).</summary>
    static async Task<int> RunPoint(string sweepFile, int index, double scale, int? threads, Action<Process> onStart, Action<Process> onExit)
    {
        var (program, prefix) = Self();
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(["sweep", sweepFile, "--index", index.ToString(CultureInfo.InvariantCulture),
                     "--scale", scale.ToString("R", CultureInfo.InvariantCulture)]))
            info.ArgumentList.Add(argument);
        if (threads is { } t) info.Environment[TorchRuntime.ThreadsVariable] = t.ToString(CultureInfo.InvariantCulture);
        info.Environment[WidthVariable] = ChildWidth(index).ToString(CultureInfo.InvariantCulture);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Out.WriteLine($"[{index}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{index}] {e.Data}"); };
        process.Start();
        onStart(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        onExit(process);
        return process.ExitCode;
    }

    /// <summary>
    /// The console width a point's process lays its lines out to, set by the process that runs it: a redirected child
    /// sees no terminal and would wrap at 80 columns, under its <c>[I]</c> prefix too.
    /// </summary>
    public const string WidthVariable = "WAV2VEC_CONSOLE_WIDTH";

    /// <summary>
    /// The width for point <paramref name="index"/>'s lines: this console's width less the prefix on a terminal, and no
    /// wrapping (4096 columns) when this output goes to a file or a pipe, where whole lines read and grep best.
    /// </summary>
    static int ChildWidth(int index) =>
        Console.IsOutputRedirected ? 4096 : Math.Max(40, Spectre.Console.AnsiConsole.Profile.Width - $"[{index}] ".Length);

    /// <summary>Lays this process's console out to the width its parent set (<see cref="WidthVariable"/>), if any.</summary>
    public static void UseParentWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(WidthVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0)
            Spectre.Console.AnsiConsole.Profile.Width = width;
    }

    /// <summary>This program as a command: the apphost, or <c>dotnet</c> with the entry assembly.</summary>
    static (string Program, string[] Prefix) Self()
    {
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown; run the points with --index.");
        return Path.GetFileNameWithoutExtension(program) == "dotnet"
            ? (program, [Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("the entry assembly is unknown; run the points with --index.")])
            : (program, []);
    }
}
