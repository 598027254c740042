using System.Diagnostics;

namespace Wav2Vec.Tests.Experiments;

/// <summary>The command-line program built beside the tests, started as a process with one torch thread and no colours.</summary>
static class CliProcess
{
    /// <summary>The CLI built beside the tests (the test project references it for build order only).</summary>
    public static string Dll()
    {
        // tests/Wav2Vec.Tests/bin/CONFIG/TFM/RID/ → src/Wav2Vec.Cli/bin/CONFIG/TFM/RID/wav2vec.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var (rid, tfm, config) = (here.Name, here.Parent!.Name, here.Parent.Parent!.Name);
        var root = here.Parent.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "Wav2Vec.Cli", "bin", config, tfm, rid, "wav2vec.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll}: the CLI is not built; build Experiments.sln first.", dll);
    }

    /// <summary>Starts <c>wav2vec ARGS</c>.</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Dll() }.Concat(args)) info.ArgumentList.Add(arg);
        info.Environment["WAV2VEC_THREADS"] = "1";
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Waits for <paramref name="process"/> (at most 3 minutes) and returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("wav2vec did not finish within 3 minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <c>wav2vec ARGS</c> to its end.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => Finish(Start(args));
}
