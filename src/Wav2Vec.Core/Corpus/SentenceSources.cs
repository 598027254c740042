using System.Text.RegularExpressions;
using Wav2Vec.Text;

namespace Wav2Vec.Corpus;

/// <summary>A Debian text package the corpus reads sentences from.</summary>
/// <param name="Name">Short name used in reports.</param>
/// <param name="Package">Debian package providing it.</param>
/// <param name="IsInstalled">Whether its files are present.</param>
/// <param name="Read">Raw candidate sentences.</param>
public sealed record SentenceSource(string Name, string Package, Func<bool> IsInstalled, Func<IEnumerable<string>> Read);

/// <summary>Sentences for the synthesised corpus: WordNet usage examples, fortunes and King James Bible verses.</summary>
public static partial class SentenceSources
{
    const string WordNet = "/usr/share/wordnet";
    const string Fortunes = "/usr/share/games/fortunes";

    /// <summary>Fortune files that are not prose (pictures, code, nonsense).</summary>
    static readonly HashSet<string> NotProse = ["art", "ascii-art", "perl", "translate-me", "zippy", "linux", "debian"];

    /// <summary>The three sources in a fixed order.</summary>
    public static readonly IReadOnlyList<SentenceSource> All =
    [
        new("wordnet", "wordnet-base", () => File.Exists(Path.Combine(WordNet, "data.noun")), ReadWordNet),
        new("fortunes", "fortunes", () => File.Exists(Path.Combine(Fortunes, "wisdom")), ReadFortunes),
        new("bible-kjv", "bible-kjv", () => ExternalProcess.Which("bible") is not null, ReadBible),
    ];

    /// <summary>
    /// The usable sentences of the installed sources: those the English normaliser maps without loss (no digits or
    /// symbols), 4–30 words and at most 200 letters (about 15 s of speech, which keeps the 10-minute budget within 2%),
    /// de-duplicated and sorted, so the list depends only on the installed packages.
    /// </summary>
    public static IReadOnlyList<string> Load(IEnumerable<SentenceSource> sources) =>
        [.. sources.Where(s => s.IsInstalled()).SelectMany(s => s.Read())
            .Select(t => Whitespace().Replace(t, " ").Trim())
            .Where(IsReadable)
            .Distinct().Order(StringComparer.Ordinal)];

    /// <summary>True for a sentence the corpus can use (see <see cref="Load"/>).</summary>
    public static bool IsReadable(string text)
    {
        var n = TranscriptNormalizer.English.Normalize(text);
        var words = n.Words.Count;
        return n.IsClean && words is >= 4 and <= 30 && n.Letters.Length <= 200 && !text.Contains('"') && !text.Contains('(');
    }

    static IEnumerable<string> ReadWordNet() =>
        new[] { "noun", "verb", "adj", "adv" }
            .SelectMany(pos => File.ReadLines(Path.Combine(WordNet, "data." + pos)))
            .Where(line => !line.StartsWith(' '))
            .SelectMany(line => Quoted().Matches(line[(line.IndexOf('|') + 1)..]).Select(m => m.Groups[1].Value));

    static IEnumerable<string> ReadFortunes() =>
        Directory.EnumerateFiles(Fortunes)
            .Where(f => Path.GetExtension(f) == "" && !NotProse.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllText(f).Split("\n%\n"))
            .Select(entry => string.Join(' ', entry.Split('\n').Where(l => !l.TrimStart().StartsWith("--"))));

    static IEnumerable<string> ReadBible() =>
        ExternalProcess.Run("bible", ["-l", "3000", "Ge1:1-Re22:21"]).Split('\n')
            .Select(line => Verse().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^\s+\d+ (.+)$")]
    private static partial Regex Verse();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
