using System.Globalization;
using System.Text;
using Wav2Vec.Text;

namespace Wav2Vec.Data;

/// <summary>Reads and writes fairseq manifests (<c>SPLIT.tsv</c>, <c>SPLIT.ltr</c>, <c>SPLIT.wrd</c>) in a folder.</summary>
public static class ManifestFiles
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The <c>.tsv</c> path of a split.</summary>
    public static string TsvPath(string directory, string split) => Path.Combine(directory, split + ".tsv");

    /// <summary>
    /// Reads <c>SPLIT.tsv</c> and, when present, <c>SPLIT.ltr</c> and <c>SPLIT.wrd</c>.
    /// A relative root is resolved against <paramref name="directory"/>.
    /// </summary>
    /// <exception cref="FormatException">A malformed line or a label file with a different line count; the message names file and line.</exception>
    public static Manifest Read(string directory, string split)
    {
        var tsv = TsvPath(directory, split);
        if (!File.Exists(tsv)) throw new FileNotFoundException($"{tsv}: manifest not found", tsv);
        var lines = File.ReadAllLines(tsv, Utf8);
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
            throw new FormatException($"{tsv}:1: expected the root folder on the first line");
        var root = lines[0].Trim();
        if (!Path.IsPathRooted(root)) root = Path.GetFullPath(Path.Combine(directory, root));
        var entries = new List<ManifestEntry>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = lines[i].Split('\t');
            if (fields.Length < 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new FormatException($"{tsv}:{i + 1}: expected 'path<TAB>num_samples', got '{lines[i]}'");
            entries.Add(new ManifestEntry(fields[0], n));
        }
        var ltr = ReadLabels(Path.ChangeExtension(tsv, ".ltr"), entries.Count);
        var wrd = ReadLabels(Path.ChangeExtension(tsv, ".wrd"), entries.Count);
        if (ltr is not null || wrd is not null)
            entries = [.. entries.Select((e, i) => e with
            {
                Letters = ltr is null ? wrd![i].Trim().Replace(' ', NormalizedTranscript.WordDelimiter) : NormalizedTranscript.LettersFromLtr(ltr[i]),
                Words = wrd is null ? NormalizedTranscript.LettersFromLtr(ltr![i]).Replace(NormalizedTranscript.WordDelimiter, ' ') : wrd[i].Trim(),
            })];
        return new Manifest(root, entries);
    }

    static string[]? ReadLabels(string path, int expected)
    {
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path, Utf8);
        if (lines.Length != expected)
            throw new FormatException($"{path}: {lines.Length} lines but the .tsv lists {expected} utterances");
        return lines;
    }

    /// <summary>
    /// Writes <c>SPLIT.tsv</c>, and <c>SPLIT.ltr</c> + <c>SPLIT.wrd</c> when the manifest is labelled.
    /// Output is UTF-8 without BOM with <c>\n</c> line ends, so equal manifests give byte-identical files.
    /// </summary>
    public static void Write(string directory, string split, Manifest manifest)
    {
        Directory.CreateDirectory(directory);
        var tsv = new StringBuilder().Append(manifest.Root).Append('\n');
        foreach (var e in manifest.Entries)
            tsv.Append(e.Path).Append('\t').Append(e.NumSamples.ToString(CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(TsvPath(directory, split), tsv.ToString(), Utf8);
        if (!manifest.IsLabelled) return;
        File.WriteAllText(Path.Combine(directory, split + ".ltr"),
            string.Concat(manifest.Entries.Select(e => new NormalizedTranscript(e.Letters!, []).ToLtr() + "\n")), Utf8);
        File.WriteAllText(Path.Combine(directory, split + ".wrd"), string.Concat(manifest.Entries.Select(e => e.Words + "\n")), Utf8);
    }
}
