using System.Text.RegularExpressions;

namespace Wav2Vec.Data;

/// <summary>One manifest's part of a pool: how often its entries are listed and the audio that adds.</summary>
/// <param name="Source">Where the manifest came from (its <c>.tsv</c>).</param>
/// <param name="Utterances">Entries of the source manifest.</param>
/// <param name="Seconds">Audio of the source manifest, once.</param>
/// <param name="Repeats">How many times its entries are listed in the pool.</param>
public sealed record PoolShare(string Source, int Utterances, double Seconds, int Repeats)
{
    /// <summary>Audio this source contributes to one pass over the pool.</summary>
    public double PooledSeconds => Seconds * Repeats;
}

/// <summary>
/// Pools several manifests into one, as a multilingual pre-training pool does (XLSR's pooled languages): every entry
/// keeps pointing at its own audio (the pool's root is <c>/</c>, entries are absolute paths without the leading
/// separator), labels survive when every entry has them. With <c>balance</c>, each source is listed
/// round(longest / its duration) times, so every source holds about as much audio per pass as the longest one —
/// fairseq's and XLSR's upsampling of small languages with α = 0.
/// </summary>
public static class ManifestPooling
{
    /// <summary>The pooled manifest and each source's share, in the order given.</summary>
    /// <exception cref="ArgumentException">No sources, or a source without entries (named).</exception>
    public static (Manifest Pool, IReadOnlyList<PoolShare> Shares) Pool(IReadOnlyList<(string Source, Manifest Manifest)> sources, bool balance)
    {
        if (sources.Count == 0) throw new ArgumentException("nothing to pool: give at least one manifest");
        foreach (var (source, manifest) in sources)
            if (manifest.Entries.Count == 0 || manifest.TotalSeconds <= 0) throw new ArgumentException($"{source}: the manifest lists no audio");
        var longest = sources.Max(s => s.Manifest.TotalSeconds);
        var shares = sources.Select(s => new PoolShare(s.Source, s.Manifest.Entries.Count, s.Manifest.TotalSeconds,
            balance ? Math.Max(1, (int)Math.Round(longest / s.Manifest.TotalSeconds)) : 1)).ToList();
        var entries = new List<ManifestEntry>();
        foreach (var ((_, manifest), share) in sources.Zip(shares))
        {
            var absolute = manifest.Entries.Select(e => e with { Path = Path.GetRelativePath("/", Path.GetFullPath(manifest.FullPath(e))).Replace('\\', '/') }).ToList();
            for (var r = 0; r < share.Repeats; r++) entries.AddRange(absolute);
        }
        return (new Manifest("/", entries), shares);
    }

    /// <summary>
    /// The entries of <paramref name="manifest"/> named in the <c>path</c> column of <paramref name="list"/> (a CSV or TSV
    /// file with a header, paths as the manifest writes them), in the manifest's order — a labelled subset kept as its
    /// utterance list, such as <c>experiments/results/train-10min-engines-utterances.csv</c>, written again as a manifest.
    /// </summary>
    /// <exception cref="FileNotFoundException">The list does not exist.</exception>
    /// <exception cref="ArgumentException">
    /// The list has no <c>path</c> column or no rows, or names a path the manifest does not hold (the first few named).
    /// </exception>
    public static Manifest WithUtterances(Manifest manifest, string source, string list)
    {
        if (!File.Exists(list)) throw new FileNotFoundException($"{list}: not found; give a CSV or TSV with a 'path' column", list);
        var lines = File.ReadLines(list).Where(l => l.Length > 0).ToList();
        // A TSV splits on tabs; a CSV is read as the project writes its tables (quoted fields may hold commas).
        Func<string, IReadOnlyList<string>> fields = lines.Count > 0 && lines[0].Contains('\t') ? l => l.Split('\t') : Sinks.CsvLog.Fields;
        var column = lines.Count == 0 ? -1 : fields(lines[0]).ToList().IndexOf("path");
        if (column < 0) throw new ArgumentException($"{list}: no 'path' column in its header; give a CSV or TSV whose header names one");
        var wanted = lines.Skip(1).Select(fields).Where(f => f.Count > column).Select(f => f[column]).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0) throw new ArgumentException($"{list}: lists no utterances");
        var kept = manifest.Entries.Where(e => wanted.Contains(e.Path)).ToList();
        var held = kept.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var strangers = wanted.Where(p => !held.Contains(p)).Order(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
            throw new ArgumentException($"{source}: {strangers.Count} of the {wanted.Count} utterances of {list} are not in it ({string.Join(", ", strangers.Take(3))}{(strangers.Count > 3 ? ", …" : "")}); give the manifest the list was drawn from");
        return manifest with { Entries = kept };
    }

    /// <summary>Name of the voice table a synthesised corpus writes beside its manifests (path, voice, speed, pitch, text).</summary>
    public const string VoiceTable = "utterances.tsv";

    /// <summary>
    /// The entries of <paramref name="manifest"/> whose voice — the <c>voice</c> column of <see cref="VoiceTable"/> in
    /// <paramref name="folder"/>, the manifest's corpus folder — matches <paramref name="voices"/> (e.g. <c>^(flite|festival)/</c>
    /// for a pool of the non-espeak voices).
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no voice table (the manifest is not of a synthesised corpus).</exception>
    /// <exception cref="ArgumentException">
    /// The table has no <c>voice</c> column (an imported corpus's table names speakers), an entry is missing from it, or
    /// no entry's voice matches (each named).
    /// </exception>
    public static Manifest WithVoices(Manifest manifest, string folder, string source, Regex voices)
    {
        var table = Path.Combine(folder, VoiceTable);
        if (!File.Exists(table))
            throw new FileNotFoundException($"{table}: not found; choosing voices needs the voice table a synthesised corpus writes (`data synth`)", table);
        var rows = File.ReadLines(table).Select(l => l.Split('\t')).ToList();
        var (path, voice) = rows.Count == 0 ? (-1, -1) : (Array.IndexOf(rows[0], "path"), Array.IndexOf(rows[0], "voice"));
        if (path < 0 || voice < 0)
            throw new ArgumentException($"{table}: no 'path' and 'voice' columns; choosing voices needs the voice table a synthesised corpus writes (`data synth`)");
        var voiceOf = rows.Skip(1).Where(f => f.Length > Math.Max(path, voice)).ToDictionary(f => f[path], f => f[voice]);
        var kept = manifest.Entries.Where(e => voiceOf.TryGetValue(e.Path, out var v)
            ? voices.IsMatch(v)
            : throw new ArgumentException($"{source}: {e.Path} is not in {table}; the manifest and the voice table are of different corpora")).ToList();
        if (kept.Count == 0)
            throw new ArgumentException($"{source}: no utterance's voice matches '{voices}' (voices in {table}: {string.Join(", ", voiceOf.Values.Distinct().Order().Take(8))}, …)");
        return manifest with { Entries = kept };
    }
}
