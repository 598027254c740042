using System.Globalization;

namespace Wav2Vec.Tools.Notebooks;

/// <summary>Outcome of executing one notebook headless.</summary>
/// <param name="Notebook">The notebook file.</param>
/// <param name="Passed">True when every cell ran without error.</param>
/// <param name="Elapsed">Wall time including kernel start.</param>
/// <param name="Output">Executed notebook written, or the error (the failing cell and its exception) when it failed.</param>
public sealed record NotebookResult(string Notebook, bool Passed, TimeSpan Elapsed, string Output)
{
    /// <summary><c>PASS notebooks/00-setup-check.ipynb (21.3 s)</c> or <c>FAIL ...</c>.</summary>
    public string Line(string root) =>
        $"{(Passed ? "PASS" : "FAIL")} {Path.GetRelativePath(root, Notebook)} ({Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)";
}

/// <summary>
/// <c>./wav2vec notebooks run</c>: executes notebooks top to bottom in the real kernel under
/// <c>jupyter nbconvert --execute</c> (the host users run), failing on any cell error.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Every committed notebook, in name order.</summary>
    public static IReadOnlyList<string> All(NotebookPaths paths) =>
        Directory.Exists(paths.Notebooks)
            ? Directory.GetFiles(paths.Notebooks, "*.ipynb").Where(f => !f.Contains(".ipynb_checkpoints")).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// The nbconvert arguments for one notebook: execute with the wav2vec kernel, no <c>--allow-errors</c> (a failing
    /// cell exits 1), writing to <paramref name="outputFolder"/> or back into the notebook when it is null.
    /// </summary>
    public static IReadOnlyList<string> NbconvertArguments(string notebook, int timeoutSeconds, string? outputFolder) =>
    [
        "nbconvert", "--to", "notebook", "--execute",
        $"--ExecutePreprocessor.kernel_name={NotebookPaths.KernelName}",
        $"--ExecutePreprocessor.timeout={timeoutSeconds}",
        .. outputFolder is null ? new[] { "--inplace" } : ["--output-dir", outputFolder],
        notebook,
    ];

    /// <summary>
    /// The environment for the kernel: a throwaway HOME (nbconvert and <c>#r "nuget:"</c> write there), this checkout's
    /// kernelspec on JUPYTER_PATH, the smoke switch, static chart images when the outputs are to be committed
    /// (<paramref name="staticCharts"/>), and no telemetry banners.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Environment(NotebookPaths paths, string home, bool smoke, bool staticCharts = false) => new Dictionary<string, string?>
    {
        ["HOME"] = home,
        ["JUPYTER_PATH"] = paths.JupyterFolder,
        ["JUPYTER_DATA_DIR"] = Path.Combine(home, "jupyter-data"),
        [NotebookPaths.SmokeVariable] = smoke ? "1" : null,
        [NotebookPaths.StaticChartsVariable] = staticCharts ? "1" : null,
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["PYTHONWARNINGS"] = "ignore",
    };

    /// <summary>Executes each notebook in turn; never throws for a failing notebook (it is a failed result).</summary>
    /// <param name="paths">The checkout (set up with <see cref="NotebookSetup"/>).</param>
    /// <param name="notebooks">Notebook files.</param>
    /// <param name="smoke">Sets <see cref="NotebookPaths.SmokeVariable"/>=1 so notebooks pick smoke sizes.</param>
    /// <param name="timeoutSeconds">Longest time one cell may take.</param>
    /// <param name="inPlace">Write outputs back into the notebooks (to commit them) instead of artifacts/notebooks/executed;
    /// charts then also carry a static PNG image (<see cref="NotebookPaths.StaticChartsVariable"/>).</param>
    /// <param name="log">Progress lines.</param>
    public static IReadOnlyList<NotebookResult> Run(NotebookPaths paths, IReadOnlyList<string> notebooks, bool smoke, int timeoutSeconds,
        bool inPlace, Action<string> log)
    {
        if (!File.Exists(Path.Combine(paths.JupyterFolder, "kernels", NotebookPaths.KernelName, "kernel.json")) || !File.Exists(paths.ToolExecutable))
            throw new InvalidOperationException($"the notebook kernel is not set up in {paths.Root}: run ./wav2vec notebooks setup first.");
        if (!NotebookSetup.JupyterAvailable())
            throw new InvalidOperationException("jupyter nbconvert is not installed: run ./wav2vec notebooks setup first.");
        var results = new List<NotebookResult>();
        foreach (var notebook in notebooks.Select(Path.GetFullPath))
        {
            if (!File.Exists(notebook)) throw new FileNotFoundException($"notebook {notebook} does not exist.", notebook);
            var home = Directory.CreateTempSubdirectory("wav2vec-notebook-home-").FullName;
            try
            {
                var output = inPlace ? null : paths.ExecutedFolder;
                var result = ProcessRunner.Run("jupyter", NbconvertArguments(notebook, timeoutSeconds, output),
                    Path.GetDirectoryName(notebook), Environment(paths, home, smoke, staticCharts: inPlace));
                var written = inPlace ? notebook : Path.Combine(paths.ExecutedFolder, Path.GetFileName(notebook));
                var outcome = new NotebookResult(notebook, result.Succeeded, result.Elapsed, result.Succeeded ? written : CellError(result.Output));
                results.Add(outcome);
                log(outcome.Line(paths.Root));
                if (!outcome.Passed) log(outcome.Output);
            }
            finally
            {
                Directory.Delete(home, recursive: true);
            }
        }
        return results;
    }

    /// <summary>
    /// The part of nbconvert's output that names the failing cell and its exception; a cell that ran out of time or a
    /// kernel that died is said so in its first line, with the hint for a timeout.
    /// </summary>
    public static string CellError(string output)
    {
        var lines = output.Split('\n');
        string[] markers = ["CellExecutionError", "CellTimeoutError", "DeadKernelError"];
        var start = Array.FindIndex(lines, l => markers.Any(m => l.Contains(m, StringComparison.Ordinal)) || l.StartsWith("An error occurred while executing", StringComparison.Ordinal));
        var error = string.Join('\n', start >= 0 ? lines.Skip(start).Take(60) : lines.TakeLast(30)).TrimEnd();
        return start >= 0 && lines[start].Contains("CellTimeoutError", StringComparison.Ordinal)
            ? error + "\nhint: the cell ran longer than --timeout allows (seconds per cell); give a larger --timeout."
            : error;
    }
}
