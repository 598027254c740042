using System.Text;

namespace Wav2Vec.Sinks;

/// <summary>
/// A text file of whole lines that a killed writer may have cut: each line (with its <c>\n</c>) goes to the file in
/// one unbuffered write, so a line is on disk whole or not at all, except when the process dies inside that one
/// write (or the disk fills); <see cref="Repair"/> finds such a cut last line and removes it.
/// </summary>
public sealed class LineFile : IDisposable
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    readonly FileStream stream;

    /// <summary>Opens <paramref name="path"/> for appending (created when missing); readers may read it meanwhile.</summary>
    public LineFile(string path) =>
        // bufferSize 0: every Write is one write(2), never a part of a line held back or split by a buffer.
        stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    /// <summary>Appends <paramref name="line"/> and its line break in one write.</summary>
    public void Append(string line) => stream.Write(Utf8.GetBytes(line + "\n"));

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();

    /// <summary>
    /// The complete lines of <paramref name="path"/> (empty when it does not exist) and the cut-off text after the
    /// last line break, or null when the file ends with one.
    /// </summary>
    public static (IReadOnlyList<string> Lines, string? Cut) Read(string path)
    {
        if (!File.Exists(path)) return ([], null);
        var text = File.ReadAllText(path, Utf8);
        var end = text.LastIndexOf('\n');
        var lines = end < 0 ? [] : text[..end].Split('\n');
        var cut = end == text.Length - 1 ? null : text[(end + 1)..];
        return (lines, cut);
    }

    /// <summary>
    /// Removes a cut last line from <paramref name="path"/> (a writer killed mid-line), saying so through
    /// <paramref name="log"/>, and returns the complete lines.
    /// </summary>
    public static IReadOnlyList<string> Repair(string path, Action<string> log)
    {
        var (lines, cut) = Read(path);
        if (cut is null) return lines;
        log($"{path}: its last line was cut off ('{Shorten(cut)}', {Utf8.GetByteCount(cut)} bytes, a run killed while writing it); removed it.");
        Rewrite(path, lines);
        return lines;
    }

    /// <summary>Replaces the file's content with <paramref name="lines"/>, atomically.</summary>
    public static void Rewrite(string path, IEnumerable<string> lines) =>
        AtomicFile.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "…";
}
