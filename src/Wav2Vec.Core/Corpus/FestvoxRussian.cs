using System.Text.RegularExpressions;

namespace Wav2Vec.Corpus;

/// <summary>
/// The recordings behind Festival's Russian voice (<c>festvox-ru</c>, voice <c>msu_ru_nsh_clunits</c>): one male speaker
/// reading about 600 sentences of literary prose at 16 kHz, about 100 minutes, with the prompts in the festvox
/// <c>etc/txt.done.data</c> format. The prompts mark stress with <c>+</c> before the stressed vowel; it is not a letter.
/// </summary>
public sealed partial class FestvoxRussian : ISpeechSource
{
    const string VoiceFolder = "usr/share/festival/voices/russian/msu_ru_nsh_clunits";

    /// <inheritdoc/>
    public string Name => "festvox-ru";

    /// <inheritdoc/>
    public string Language => "ru";

    /// <inheritdoc/>
    public bool EvaluationOnly => false;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["festvox-ru"];

    static string PromptPath(string root) => Path.Combine(root, VoiceFolder, "etc", "txt.done.data");

    /// <inheritdoc/>
    public bool IsInstalled(string root) => File.Exists(PromptPath(root)) && Directory.Exists(Path.Combine(root, VoiceFolder, "wav"));

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var path = PromptPath(root);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: prompt file not found; install festvox-ru", path);
        var prompts = ParsePrompts(File.ReadLines(path), path);
        var wavFolder = Path.Combine(root, VoiceFolder, "wav");
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        foreach (var p in prompts)
        {
            var wav = Path.Combine(wavFolder, p.Id + ".wav");
            if (File.Exists(wav)) utterances.Add(new RecordedUtterance(p.Id, wav, "msu_ru_nsh", p.Text));
            else excluded.Add(new ExcludedItem(p.Id, ExclusionReason.NoAudio, $"no {wav}"));
        }
        var prompted = prompts.Select(p => p.Id).ToHashSet();
        excluded.AddRange(Directory.EnumerateFiles(wavFolder, "*.wav").Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(id => !prompted.Contains(id)).Order(StringComparer.Ordinal)
            .Select(id => new ExcludedItem(id, ExclusionReason.NoTranscript, $"not in {path}")));
        return new SourceScan(utterances, excluded, []);
    }

    /// <summary>Parses <c>( ru_0001 "text" )</c> lines, removing the <c>+</c> stress marks; blank lines are skipped.</summary>
    /// <exception cref="FormatException">A line is not in that form; the message names file and line.</exception>
    public static IReadOnlyList<PromptLine> ParsePrompts(IEnumerable<string> lines, string fileName)
    {
        var prompts = new List<PromptLine>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var m = PromptLinePattern().Match(line);
            if (!m.Success) throw new FormatException($"{fileName}:{number}: expected '( id \"text\" )', got '{line.Trim()}'");
            prompts.Add(new PromptLine(m.Groups[1].Value, m.Groups[2].Value.Replace("+", ""), number));
        }
        return prompts;
    }

    [GeneratedRegex("""^\s*\(\s*(\S+)\s+"(.*)"\s*\)\s*$""")]
    private static partial Regex PromptLinePattern();
}
