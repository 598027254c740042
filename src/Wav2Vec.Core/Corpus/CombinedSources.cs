namespace Wav2Vec.Corpus;

/// <summary>
/// Several sources imported as one corpus: each utterance keeps its source's id behind the part's prefix
/// (<c>warzone/tut1</c>) and is marked with its <see cref="RecordedUtterance.Part"/> (the prefix, and the source's own part
/// behind it), so speaking rates are compared within a part. Evaluation-only when every part is.
/// </summary>
/// <param name="name">The corpus's name, e.g. <c>debian-en</c>.</param>
/// <param name="parts">Prefix and source of each part; all in one language.</param>
public sealed class CombinedSources(string name, IReadOnlyList<(string Prefix, ISpeechSource Source)> parts) : ISpeechSource
{
    /// <summary>
    /// The recorded English in Debian whose transcripts are the package's own text for each sound: Tux Paint's stamp
    /// descriptions, KTuberling's words and KLettres's letters and words. Not the Asterisk prompts, kept apart as an
    /// independent check, nor the Warzone tutorial, whose subtitles are not word for word what is said.
    /// </summary>
    /// <param name="language">Null or <c>en</c>; another throws <see cref="ArgumentException"/>.</param>
    public static CombinedSources DebianEnglish(string? language = null)
    {
        SpeechSources.Require("debian", language ?? "en", ["en"], "en");
        return new("debian-en", [("tuxpaint", new TuxPaintStamps()), ("ktuberling", new KTuberlingSounds()), ("klettres", new KLettresSounds())]);
    }

    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public string Language { get; } = parts.Select(p => p.Source.Language).Distinct().Single();

    /// <inheritdoc/>
    public bool EvaluationOnly => parts.All(p => p.Source.EvaluationOnly);

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => [.. parts.SelectMany(p => p.Source.Packages).Distinct()];

    /// <summary>The parts, with their prefixes.</summary>
    public IReadOnlyList<(string Prefix, ISpeechSource Source)> Parts => parts;

    /// <inheritdoc/>
    public bool IsInstalled(string root) => parts.All(p => p.Source.IsInstalled(root));

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var scans = parts.Select(p => (p.Prefix, Scan: p.Source.Scan(root))).ToArray();
        return new SourceScan(
            [.. scans.SelectMany(s => s.Scan.Utterances.Select(u => u with { Id = $"{s.Prefix}/{u.Id}", Part = u.Part.Length > 0 ? $"{s.Prefix}/{u.Part}" : s.Prefix }))],
            [.. scans.SelectMany(s => s.Scan.Excluded.Select(e => e with { Id = $"{s.Prefix}/{e.Id}" }))],
            [.. scans.SelectMany(s => s.Scan.Notes.Select(n => $"{s.Prefix}: {n}"))]);
    }
}
