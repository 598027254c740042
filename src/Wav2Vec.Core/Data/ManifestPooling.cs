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
}
