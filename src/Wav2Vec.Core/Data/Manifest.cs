namespace Wav2Vec.Data;

/// <summary>One line of a fairseq manifest.</summary>
/// <param name="Path">Audio path relative to the manifest root, with <c>/</c> separators.</param>
/// <param name="NumSamples">Length in samples at 16 kHz.</param>
/// <param name="Letters">Normalised letters with <c>|</c> between words (<c>HELLO|WORLD</c>), or null when unlabelled.</param>
/// <param name="Words">The <c>.wrd</c> line (<c>HELLO WORLD</c>), or null when unlabelled.</param>
public sealed record ManifestEntry(string Path, long NumSamples, string? Letters = null, string? Words = null)
{
    /// <summary>The utterance id: the path without its extension.</summary>
    public string Id => System.IO.Path.ChangeExtension(Path, null);
}

/// <summary>
/// A fairseq-style manifest: a root folder and audio entries, optionally labelled.
/// On disk: <c>SPLIT.tsv</c> (root line, then <c>path&lt;TAB&gt;num_samples</c>), <c>SPLIT.ltr</c>, <c>SPLIT.wrd</c>
/// (see <see cref="ManifestFiles"/>).
/// </summary>
public sealed record Manifest(string Root, IReadOnlyList<ManifestEntry> Entries)
{
    /// <summary>The sample rate manifests count samples at.</summary>
    public const int SampleRate = 16_000;

    /// <summary>True when every entry has letters and words.</summary>
    public bool IsLabelled => Entries.Count > 0 && Entries.All(e => e.Letters is not null && e.Words is not null);

    /// <summary>Total audio duration in seconds.</summary>
    public double TotalSeconds => Entries.Sum(e => e.NumSamples) / (double)SampleRate;

    /// <summary>The absolute path of an entry's audio.</summary>
    public string FullPath(ManifestEntry entry) => System.IO.Path.Combine(Root, entry.Path);
}
