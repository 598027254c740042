using System.CommandLine;
using Wav2Vec.Errors;

namespace Wav2Vec.Cli;

/// <summary>
/// The command line's one error style: <c>error: WHAT (FILE OR FIELD)</c> and a <c>hint:</c> line on stderr, exit code 1
/// (2 for usage errors), the stack trace only with the global <c>--verbose</c> option.
/// </summary>
static class CliErrors
{
    /// <summary>Exit code of a failed command.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command line that does not parse or asks for something impossible.</summary>
    public const int Usage = 2;

    /// <summary><c>--verbose</c>, recognised by every verb.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the stack trace (and libtorch's native trace) of errors.", Recursive = true };

    /// <summary>Whether <paramref name="parse"/> asked for stack traces.</summary>
    public static bool IsVerbose(ParseResult parse) => parse.GetValue(Verbose);

    /// <summary>Prints <paramref name="error"/> in the one style; <paramref name="hint"/> overrides the generic hint.</summary>
    public static void Print(Exception error, bool verbose, string? hint = null)
    {
        foreach (var line in ErrorReport.From(error, hint).Lines(verbose)) Console.Error.WriteLine(line);
    }

    /// <summary>
    /// Prints the failure of one input of many (a file, an utterance): the error's own location when it names one,
    /// else <paramref name="input"/>.
    /// </summary>
    public static void PrintFor(string input, Exception error, bool verbose)
    {
        var report = ErrorReport.From(error);
        foreach (var line in (report with { Where = report.Where ?? input }).Lines(verbose)) Console.Error.WriteLine(line);
    }

    /// <summary>Closes a command over many inputs: 0 when none failed, else a summary in the error style and <see cref="Failure"/>.</summary>
    public static int Summary(int failed, int total, string what)
    {
        if (failed == 0) return 0;
        Console.Error.WriteLine($"error: {failed} of {total} {what} failed (listed above)");
        Console.Error.WriteLine("hint: the others were processed; fix or remove the listed ones and run again.");
        return Failure;
    }

    /// <summary>Whether <paramref name="error"/> concerns one input only, so a command over many inputs may go on.</summary>
    public static bool IsPerInput(Exception error) => error is not (OutOfMemoryException or OperationCanceledException);

    /// <summary>Prints the parse errors of <paramref name="parse"/> and returns <see cref="Usage"/>.</summary>
    public static int PrintUsage(ParseResult parse)
    {
        var command = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1)
            .Append(parse.CommandResult.Command).Select(c => c.Name));
        foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message} (command line)");
        Console.Error.WriteLine($"hint: see ./wav2vec {(command.Length > 0 ? command + " " : "")}--help");
        return Usage;
    }
}

/// <summary>A command line that asks for something impossible (exit code 2); the message names the option.</summary>
sealed class UsageException(string message) : Exception(message);
