using System.Text.RegularExpressions;

namespace Wav2Vec.Corpus;

/// <summary>One line of an Asterisk transcript file: <c>id: text</c>.</summary>
public sealed record PromptLine(string Id, string Text, int LineNumber);

/// <summary>A transcript after <see cref="AsteriskTranscript.Clean"/>: the text to normalise, or why the prompt is left out.</summary>
/// <param name="Text">The spoken text with symbol annotations removed and numbers spelled, or null when left out.</param>
/// <param name="Reason">Why it is left out, or null.</param>
/// <param name="Detail">What in the transcript caused the exclusion.</param>
/// <param name="NumbersSpelled">Numbers replaced by the words of the package's own <c>digits/N</c> prompts.</param>
public sealed record CleanedPrompt(string? Text, ExclusionReason? Reason, string Detail, int NumbersSpelled);

/// <summary>
/// Reads Asterisk's <c>core-sounds-LANG.txt</c> (one <c>id: text</c> line per prompt, <c>;</c> comments) and decides
/// what of each transcript is spoken. Bracketed remarks are the transcriber's: <c>[ascending tones]</c> or
/// <c>(1 second of silence)</c> alone mean no speech; a bracket holding only a symbol (<c>dash [-]</c>) shows what the
/// word stands for and is dropped; any other remark inside speech (<c>(enfatico)</c>, <c>[quello]</c>) may or may not be
/// spoken, so that prompt is left out rather than given a transcript that could be wrong.
/// </summary>
public static partial class AsteriskTranscript
{
    /// <summary>Parses the lines of a transcript file; a byte-order mark, comments and blank lines are skipped.</summary>
    /// <exception cref="FormatException">A line is not <c>id: text</c>; the message names file and line.</exception>
    public static IReadOnlyList<PromptLine> Parse(IEnumerable<string> lines, string fileName)
    {
        var prompts = new List<PromptLine>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimStart('\uFEFF').Trim();
            if (line.Length == 0 || line.StartsWith(';')) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace))
                throw new FormatException($"{fileName}:{number}: expected 'id: text', got '{line}'");
            prompts.Add(new PromptLine(line[..colon], line[(colon + 1)..].Trim(), number));
        }
        return prompts;
    }

    /// <summary>
    /// The package's own spelling of numbers: each <c>digits/N</c> prompt whose transcript is plain words
    /// (<c>digits/5: cinco</c>), as the same speaker reads it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> NumberWords(IEnumerable<PromptLine> prompts) =>
        prompts.Where(p => p.Id.StartsWith("digits/", StringComparison.Ordinal) && p.Id[7..].Length > 0 && p.Id[7..].All(char.IsAsciiDigit))
            .GroupBy(p => p.Id[7..])
            .Where(g => g.Select(p => p.Text).Distinct().Count() == 1 && !Annotation().IsMatch(g.First().Text) && !g.First().Text.Any(char.IsDigit))
            .ToDictionary(g => g.Key, g => g.First().Text.TrimEnd('.', '!', ' '));

    /// <summary>Drops symbol annotations, leaves out prompts with remarks, and spells numbers with <paramref name="numberWords"/>.</summary>
    public static CleanedPrompt Clean(string text, IReadOnlyDictionary<string, string> numberWords)
    {
        var withoutSymbols = Annotation().Replace(text, m => m.Value[1..^1].Any(char.IsLetterOrDigit) ? m.Value : " ");
        if (Annotation().Match(withoutSymbols) is { Success: true } remark)
        {
            var rest = Annotation().Replace(withoutSymbols, " ");
            return rest.Any(char.IsLetterOrDigit)
                ? new CleanedPrompt(null, ExclusionReason.UncertainAnnotation, remark.Value, 0)
                : new CleanedPrompt(null, ExclusionReason.NotSpeech, remark.Value, 0);
        }
        var spelled = 0;
        string? unspelled = null;
        var result = Number().Replace(withoutSymbols, m =>
        {
            if (numberWords.TryGetValue(m.Value, out var words))
            {
                spelled++;
                return words;
            }
            unspelled ??= m.Value;
            return m.Value;
        });
        return unspelled is null
            ? new CleanedPrompt(result.Trim(), null, "", spelled)
            : new CleanedPrompt(null, ExclusionReason.NumberNotSpelled, unspelled, 0);
    }

    [GeneratedRegex(@"\[[^\]]*\]|\([^)]*\)|<[^>]*>")]
    private static partial Regex Annotation();

    /// <summary>A number as written: digits, possibly with separators (<c>28,8</c>) or letters attached (<c>28Kbit</c>); only bare digits are spelled.</summary>
    [GeneratedRegex(@"[\p{L}\d]*\d[\p{L}\d]*(?:[.,:]\d+)*")]
    private static partial Regex Number();
}
