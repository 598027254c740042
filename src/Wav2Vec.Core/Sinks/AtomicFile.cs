using System.Text;

namespace Wav2Vec.Sinks;

/// <summary>
/// Writes files and folders so a reader (or a run resumed after <c>kill -9</c>) sees either the old content or
/// the new, never half of one: write beside the target under a temporary name, flush to disk, then rename,
/// which POSIX makes atomic within one file system.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, replacing any existing file atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = TemporaryName(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Fills a fresh temporary folder through <paramref name="fill"/> (given its path), then renames it to
    /// <paramref name="path"/> — how a checkpoint directory (<c>config.json</c>, <c>model.safetensors</c>, trainer
    /// state) appears complete or not at all. An existing folder at <paramref name="path"/> is replaced: it is
    /// renamed aside first and deleted only after the new one is in place.
    /// </summary>
    public static void WriteDirectory(string path, Action<string> fill)
    {
        var full = Path.GetFullPath(path.TrimEnd('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = TemporaryName(full);
        var aside = full + AsideMark + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(temporary);
            fill(temporary);
            if (Directory.Exists(full)) Directory.Move(full, aside);
            Directory.Move(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
        }
    }

    /// <summary>True for names this class uses for work in progress (a crashed writer may leave them behind).</summary>
    public static bool IsTemporary(string path) => Path.GetFileName(path.TrimEnd('/')).Contains(".tmp-", StringComparison.Ordinal);

    /// <summary>
    /// The folder <paramref name="path"/> was set aside from while <see cref="WriteDirectory"/> replaced it
    /// (<c>best.old-1a2b3c4d</c> → <c>best</c>), or null when it is no such folder.
    /// </summary>
    public static string? AsideOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var mark = trimmed.LastIndexOf(AsideMark, StringComparison.Ordinal);
        var suffix = mark < 0 ? "" : trimmed[(mark + AsideMark.Length)..];
        return mark > 0 && suffix.Length == 8 && suffix.All(char.IsAsciiHexDigitLower) ? trimmed[..mark] : null;
    }

    const string AsideMark = ".old-";

    static string TemporaryName(string full) => full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
}
