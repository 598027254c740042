using System.Security.Cryptography;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// The checksum manifest of a checkpoint folder, <c>checksums.sha256</c>: one <c>HASH  FILE</c> line per file, the
/// format of <c>sha256sum</c>, so <c>sha256sum -c checksums.sha256</c> checks a checkpoint by hand too. Written last,
/// inside the temporary folder, so a checkpoint that exists has its checksums.
/// </summary>
public static class CheckpointChecksums
{
    /// <summary>File name of the manifest inside a checkpoint folder.</summary>
    public const string FileName = "checksums.sha256";

    /// <summary>Hashes every file under <paramref name="folder"/> and writes the manifest beside them.</summary>
    public static void Write(string folder)
    {
        var lines = Files(folder).Select(relative => $"{Hash(Path.Combine(folder, relative))}  {relative}");
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), string.Concat(lines.Select(l => l + "\n")));
    }

    /// <summary>
    /// What is wrong with <paramref name="folder"/> against its manifest, naming the file (missing or changed), or null
    /// when every listed file matches. A folder without a manifest (written before checkpoints had one)
    /// gives null too: there is nothing to check it against.
    /// </summary>
    public static string? Problem(string folder)
    {
        var manifest = Path.Combine(folder, FileName);
        if (!File.Exists(manifest)) return null;
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(manifest))
        {
            if (line.Length == 0) continue;
            var space = line.IndexOf("  ", StringComparison.Ordinal);
            if (space != 64) return $"{manifest}: unreadable line '{line}'";
            expected[line[(space + 2)..]] = line[..space];
        }
        foreach (var (relative, hash) in expected)
        {
            var path = Path.Combine(folder, relative);
            if (!File.Exists(path)) return $"{path}: missing (listed in {FileName})";
            if (!string.Equals(Hash(path), hash, StringComparison.OrdinalIgnoreCase)) return $"{path}: damaged (its SHA-256 differs from {FileName})";
        }
        return null;
    }

    /// <summary>Files under <paramref name="folder"/> (relative, '/'-separated, sorted), the manifest excepted.</summary>
    static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != FileName)
            .Order(StringComparer.Ordinal);

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    internal static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
