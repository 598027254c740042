using System.Diagnostics;

namespace Wav2Vec.Corpus;

/// <summary>Runs command-line programs (TTS engines, apt-get, bible) and finds them on PATH.</summary>
public static class ExternalProcess
{
    /// <summary>The full path of <paramref name="command"/> on PATH, or null.</summary>
    public static string? Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists);

    /// <summary>Runs a program to completion and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">It could not start or exited non-zero; the message holds its stderr.</exception>
    public static string Run(string program, IEnumerable<string> arguments, string? standardInput = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program}: could not start");
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {error.Result.Trim()}");
        return output;
    }
}
