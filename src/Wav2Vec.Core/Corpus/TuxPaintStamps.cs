namespace Wav2Vec.Corpus;

/// <summary>
/// The spoken descriptions of Tux Paint's stamps (<c>tuxpaint-stamps-default</c>): <c>NAME_desc.ogg</c> beside
/// <c>NAME.png</c> under <c>/usr/share/tuxpaint/stamps/</c> is the English description read aloud (<c>NAME_desc_fr.ogg</c>
/// and the like are other languages), and the first line of <c>NAME.txt</c> is its English text; the lines after it are
/// translations (<c>fr.utf8=…</c>). The readers are not named.
/// </summary>
public sealed class TuxPaintStamps : ISpeechSource
{
    const string StampFolder = "usr/share/tuxpaint/stamps";
    const string Suffix = "_desc.ogg";

    /// <param name="language">Null or <c>en</c>: the other languages' descriptions are not imported.</param>
    public TuxPaintStamps(string? language = null) => Language = SpeechSources.Require("tuxpaint", language ?? "en", ["en"], "en");

    /// <inheritdoc/>
    public string Name => "tuxpaint-en";

    /// <inheritdoc/>
    public string Language { get; }

    /// <inheritdoc/>
    public bool EvaluationOnly => true;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["tuxpaint-stamps-default"];

    /// <inheritdoc/>
    public bool IsInstalled(string root) => Descriptions(root).Any();

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var stamps = Path.Combine(root, StampFolder);
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        foreach (var audio in Descriptions(root).Order(StringComparer.Ordinal))
        {
            var stem = audio[..^Suffix.Length];
            var id = Path.GetRelativePath(stamps, stem).Replace(Path.DirectorySeparatorChar, '/');
            var textFile = stem + ".txt";
            if (!File.Exists(textFile))
                excluded.Add(new(id, ExclusionReason.NoTranscript, $"no {textFile}"));
            else if (EnglishText(File.ReadLines(textFile)) is not { } text)
                excluded.Add(new(id, ExclusionReason.EmptyTranscript, $"{textFile} has no English line"));
            else if (AsteriskTranscript.Clean(text, new Dictionary<string, string>()) is { Reason: { } reason } cleaned)
                excluded.Add(new(id, reason, cleaned.Detail));
            else
                utterances.Add(new RecordedUtterance(id, audio, "tuxpaint-stamps", text));
        }
        return new SourceScan(utterances, excluded, ["the readers of the stamp descriptions are not named; all are counted as one speaker"]);
    }

    /// <summary>
    /// The English description in the lines of a stamp's <c>.txt</c>: the first non-blank line that is not a translation
    /// (<c>LANG.utf8=…</c>), or null when there is none.
    /// </summary>
    public static string? EnglishText(IEnumerable<string> lines) =>
        lines.Select(l => l.TrimStart('\uFEFF').Trim()).FirstOrDefault(l => l.Length > 0 && !IsTranslation(l));

    static bool IsTranslation(string line) =>
        line.IndexOf(".utf8=", StringComparison.Ordinal) is > 0 and var at && line[..at].All(c => char.IsAsciiLetter(c) || c is '_' or '@');

    IEnumerable<string> Descriptions(string root)
    {
        var stamps = Path.Combine(root, StampFolder);
        return Directory.Exists(stamps)
            ? Directory.EnumerateFiles(stamps, "*" + Suffix, SearchOption.AllDirectories)
            : [];
    }
}
