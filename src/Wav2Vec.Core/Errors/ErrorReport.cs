using System.Reflection;
using System.Runtime.InteropServices;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Experiments;
using Wav2Vec.Torch;

namespace Wav2Vec.Errors;

/// <summary>
/// An error as a person reads it: what went wrong, the file or field at fault, and what to do. The command line prints
/// it as <c>error: WHAT (WHERE)</c> and <c>hint: HINT</c>; the stack trace (and libtorch's C++ frames, which arrive as
/// further lines of a native error's message) only on request.
/// </summary>
/// <param name="What">The first line of the message, without the location prefix.</param>
/// <param name="Where">The file, directory or field named at the start of the message (<c>PATH: what</c>), or null.</param>
/// <param name="Hint">What to do about it.</param>
/// <param name="Exception">The exception reported (unwrapped from aggregate and invocation wrappers).</param>
public sealed record ErrorReport(string What, string? Where, string Hint, Exception Exception)
{
    /// <summary>
    /// The report of <paramref name="exception"/>; <paramref name="hint"/>, when given, replaces the generic hint, and so
    /// does the hint of a <see cref="HintedException"/>, which reports its inner error.
    /// </summary>
    public static ErrorReport From(Exception exception, string? hint = null)
    {
        var e = Unwrap(exception);
        if (e is HintedException { InnerException: { } inner } hinted) return From(inner, hint ?? hinted.Hint);
        var firstLine = e.Message.Split('\n', 2)[0].TrimEnd('\r', ' ', '.');
        var (where, what) = e switch
        {
            AudioDecodeException a => (a.FilePath, StripPrefix(firstLine, a.FilePath)),
            FileNotFoundException { FileName: { } file } when SplitLocation(firstLine).Where is null => (file, firstLine),
            _ => SplitLocation(firstLine),
        };
        return new ErrorReport(what, where, hint ?? HintFor(e), e);
    }

    /// <summary>The two lines to print: <c>error: WHAT (WHERE)</c> and <c>hint: HINT</c>.</summary>
    public IReadOnlyList<string> Lines() =>
        [$"error: {What}{(Where is null ? "" : $" ({Where})")}", $"hint: {Hint}"];

    /// <summary><see cref="Lines()"/>, followed with <paramref name="verbose"/> by the full exception with its stack trace.</summary>
    public IReadOnlyList<string> Lines(bool verbose) => verbose ? [.. Lines(), Exception.ToString()] : Lines();

    static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    static string StripPrefix(string message, string prefix) =>
        message.StartsWith(prefix + ": ", StringComparison.Ordinal) ? message[(prefix.Length + 2)..] : message;

    /// <summary>Messages of this library start with the file or field at fault (<c>config.json: field 'x' …</c>); a location has no spaces.</summary>
    static (string? Where, string What) SplitLocation(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !message[..colon].Contains(' ') ? (message[..colon], message[(colon + 2)..]) : (null, message);
    }

    static string HintFor(Exception e) => e switch
    {
        AudioDecodeException { Problem: AudioProblem.Missing } => "check the path.",
        AudioDecodeException { Problem: AudioProblem.TooLong } =>
            "raise the maximum duration (--max-seconds, or corpus.maxSeconds in an experiment) or split the file.",
        AudioDecodeException { Problem: AudioProblem.UnsupportedFormat } a when a.Message.Contains("not an audio file", StringComparison.Ordinal) =>
            "pass a regular WAV or MP3 file.",
        AudioDecodeException { Problem: AudioProblem.UnsupportedFormat } => "convert it to 16-bit WAV, e.g. `sox IN -r 16000 -c 1 -b 16 OUT.wav`.",
        AudioDecodeException { Problem: AudioProblem.TooShort } =>
            "remove it from the manifest; a run with corpus.badAudio \"skip\" leaves such files out and lists them in skipped.tsv.",
        AudioDecodeException { Problem: AudioProblem.LengthMismatch } =>
            "re-create the manifest from the audio (./wav2vec data manifest), or set corpus.badAudio to \"skip\" to leave such files out.",
        AudioDecodeException { Problem: AudioProblem.Unreadable } => "check the file's permissions and the disk.",
        AudioDecodeException =>
            "re-encode or replace the file, or leave it out (data manifest --skip-bad, or corpus.badAudio \"skip\" in an experiment, skips and lists such files).",
        RunFolderInUseException => "wait for that run to finish or stop it, or give this one another name; a run that was killed releases its folder by itself.",
        AllUpdatesSkippedException =>
            "look at the loss terms in metrics.jsonl; lower optimizer.learningRate, or check the audio (corpus.normalize) and the model config.",
        CheckpointMismatchException => "use the config.json, weights and vocab.json of one model; --allow-unknown-keys ignores tensors of no wav2vec 2.0 model.",
        InsufficientMemoryException => "free memory, or use a smaller model or shorter audio.",
        FileNotFoundException or DirectoryNotFoundException => "check the path.",
        InvalidDataException => "the file is damaged or not in the expected format; re-create or re-download it.",
        ArgumentException when e.Message.Contains("field '", StringComparison.Ordinal) =>
            "fix that field; the limits on model sizes are listed in docs/reliability.md.",
        FormatException => "fix the line, transcript or value named.",
        UnauthorizedAccessException or IOException => "check the path, its permissions and the free disk space.",
        TorchLoadException => "run ./wav2vec doctor to see what libtorch needs.",
        ExternalException when Experiments.LostScalarRetry.Is(e) =>
            $"TorchSharp freed a temporary scalar while libtorch read it (a rare race, retried in-process up to {Experiments.LostScalarRetry.DefaultRetries} times); " +
            "continue the run with --resume.",
        ExternalException => "libtorch refused the input; run with --verbose for its native trace.",
        _ => "run with --verbose for the stack trace.",
    };
}
