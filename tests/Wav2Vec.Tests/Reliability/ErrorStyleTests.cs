using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Errors;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Reliability;

/// <summary>One error style: <c>error: WHAT (WHERE)</c> plus a hint, exit code 1 (2 for usage), no stack trace without --verbose.</summary>
public sealed class ErrorStyleTests : IDisposable
{
    readonly string dir = TestAudio.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ALibtorchErrorIsOneLineWithoutItsCppFrames()
    {
        TorchRuntime.Initialize();
        var e = Assert.ThrowsAny<ExternalException>(() => ones(2, 3).reshape(7));
        Assert.Contains("\n", e.Message.Trim()); // libtorch appends its C++ trace to the message
        var lines = ErrorReport.From(e).Lines();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("error: ", lines[0]);
        Assert.StartsWith("hint: ", lines[1]);
        Assert.Contains("--verbose", lines[1]);
        Assert.True(ErrorReport.From(e).Lines(verbose: true).Count > 2);
        // The lost TorchSharp scalar is no bad input: its hint says how to go on.
        var lost = ErrorReport.From(new ExternalException("Expected false to be true, but got false.  (Could this error message be improved?)")).Lines();
        Assert.Contains("--resume", lost[1]);
        Assert.DoesNotContain("refused the input", lost[1]);
    }

    [Fact]
    public void TheFileOrFieldAtFaultGoesInParentheses()
    {
        var audio = ErrorReport.From(new AudioDecodeException("/data/a.wav", AudioProblem.Truncated, "truncated: 3 frames missing"));
        Assert.Equal("error: truncated: 3 frames missing (/data/a.wav)", audio.Lines()[0]);
        var config = ErrorReport.From(Assert.Throws<ArgumentException>(() => Wav2Vec2Config.FromJson("""{"num_hidden_layers": 1000000}""", "m/config.json")));
        Assert.StartsWith("error: field 'num_hidden_layers' is 1000000, above the limit", config.Lines()[0]);
        Assert.EndsWith("(m/config.json)", config.Lines()[0]);
        Assert.Contains("docs/reliability.md", config.Lines()[1]);
    }

    [Fact]
    public void TheCommandLinePrintsOneLinePerErrorKeepsGoingOverFilesAndUsesExitCodes()
    {
        var good = Path.Combine(Ctc.CtcFixtures.Folder, "input.wav");
        var folder = Directory.CreateDirectory(Path.Combine(dir, "folder.wav")).FullName;
        var transcribe = Cli.Run("transcribe", "--model", Ctc.CtcFixtures.Folder, folder, good);
        Assert.Equal(1, transcribe.ExitCode);
        Assert.Single(transcribe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the good file was transcribed
        Assert.Contains($"error: is a directory, not an audio file ({folder})", transcribe.Stderr);
        Assert.Contains("error: 1 of 2 file(s) failed", transcribe.Stderr);
        Assert.DoesNotContain("   at ", transcribe.Stderr);

        var usage = Cli.Run("transcribe", "--model");
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("error: ", usage.Stderr);
        Assert.Contains("hint: see ./wav2vec transcribe --help", usage.Stderr);

        var experiment = Path.Combine(dir, "huge.json");
        File.WriteAllText(experiment, """{"kind": "pretrain", "name": "huge", "model": {"preset": "tiny", "num_hidden_layers": 1000000}}""");
        foreach (var verbose in new[] { false, true })
        {
            var run = Cli.Run([.. new[] { "run", experiment }, .. verbose ? ["--verbose"] : Array.Empty<string>()]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("num_hidden_layers", run.Stderr);
            Assert.Contains(experiment, run.Stderr.Split('\n')[0]);
            Assert.Equal(verbose, run.Stderr.Contains("   at ", StringComparison.Ordinal));
            if (!verbose) Assert.Equal(2, run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}

/// <summary>Runs the command line built beside the tests and collects what it printed.</summary>
static class Cli
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        // tests/Wav2Vec.Tests/bin/CONFIG/TFM/RID/ → src/Wav2Vec.Cli/bin/CONFIG/TFM/RID/wav2vec.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var (rid, tfm, config) = (here.Name, here.Parent!.Name, here.Parent.Parent!.Name);
        var root = here.Parent.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "Wav2Vec.Cli", "bin", config, tfm, rid, "wav2vec.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll }.Concat(args)) info.ArgumentList.Add(arg);
        info.Environment["WAV2VEC_THREADS"] = "1";
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wav2vec {string.Join(' ', args)} did not finish within 3 minutes.");
        }
        // libtorch's own start-up warnings (NNPACK on CPUs without it) are not the program's output.
        var errors = string.Join('\n', stderr.Result.Split('\n').Where(l => !l.Contains("NNPACK", StringComparison.Ordinal)));
        return (process.ExitCode, stdout.Result, errors);
    }
}
