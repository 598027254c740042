using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Wav2Vec.Corpus;

/// <summary>A line of the Warzone 2100 tutorial script: the sound it plays and the subtitle it shows, if any.</summary>
/// <param name="Audio">The sound file under <c>audio/tutorial/</c>, e.g. <c>tut1.ogg</c>.</param>
/// <param name="Message">The subtitle (<c>_("…")</c>), or null where the script shows none (<c>undefined</c>).</param>
/// <param name="LineNumber">Line of the script, for messages.</param>
public sealed record TutorialLine(string Audio, string? Message, int LineNumber);

/// <summary>
/// The narrated tutorial of Warzone 2100 (<c>warzone2100-data</c>): one male narrator reading instructions, 11 kHz Ogg
/// Vorbis under <c>audio/tutorial/</c> of the game's <c>base.wz</c> (a zip archive). <c>script/tutorial.js</c> in the same
/// archive pairs each sound with the subtitle it shows (<c>{"audio": "tut1.ogg", …, "message": _("…")}</c>); a sound
/// with no subtitle, or none in the script (recorded but unused), has no transcript, and a subtitle that stays on over
/// such sounds is not the transcript of its own sound alone. The subtitles were edited after the recording ("Left click
/// the flashing BUILD icon" is said without "flashing"), so they are close to the speech but not word for word: a
/// rough measure of read sentences, kept out of <see cref="CombinedSources.DebianEnglish"/>.
/// </summary>
public sealed partial class WarzoneTutorial : ISpeechSource
{
    const string ArchivePath = "usr/share/games/warzone2100/base.wz";
    const string ScriptEntry = "script/tutorial.js";
    const string AudioFolder = "audio/tutorial/";

    /// <param name="language">Null or <c>en</c>: the game is voiced in English only.</param>
    public WarzoneTutorial(string? language = null) => Language = SpeechSources.Require("warzone", language ?? "en", ["en"], "en (the game is voiced in English only)");

    /// <inheritdoc/>
    public string Name => "warzone-en";

    /// <inheritdoc/>
    public string Language { get; }

    /// <inheritdoc/>
    public bool EvaluationOnly => true;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["warzone2100-data"];

    /// <inheritdoc/>
    public bool IsInstalled(string root) => File.Exists(Path.Combine(root, ArchivePath));

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var archivePath = Path.Combine(root, ArchivePath);
        string script;
        HashSet<string> sounds;
        try
        {
            using var archive = ZipFile.OpenRead(archivePath);
            var entry = archive.GetEntry(ScriptEntry) ?? throw new FormatException($"{archivePath}: no {ScriptEntry} in the archive");
            using (var reader = new StreamReader(entry.Open(), Encoding.UTF8)) script = reader.ReadToEnd();
            sounds = [.. archive.Entries.Select(e => e.FullName).Where(n => n.StartsWith(AudioFolder, StringComparison.Ordinal) && n.EndsWith(".ogg", StringComparison.Ordinal))];
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"{archivePath}: not a readable zip archive ({e.Message})", e);
        }
        var scriptName = $"{archivePath}!/{ScriptEntry}";
        var lines = ParseScript(script, scriptName);
        // A subtitle stays on screen while the sounds after it that show none are played: "The oil derrick is currently
        // dormant. Build a power generator…" is said over tut5.ogg (2 s) and tut6.ogg (5 s), so tut5 holds only its start.
        var continued = lines.Zip(lines.Skip(1)).Where(p => p.First.Message is not null && p.Second.Message is null)
            .ToLookup(p => p.First.Audio, p => p.Second.Audio);
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        foreach (var group in lines.GroupBy(l => l.Audio).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(group.Key);
            var texts = group.Select(l => l.Message).Distinct().ToArray();
            var where = $"line {string.Join(", ", group.Select(l => l.LineNumber))} of {ScriptEntry}";
            if (!sounds.Contains(AudioFolder + group.Key))
                excluded.Add(new(id, ExclusionReason.NoAudio, $"no {AudioFolder}{group.Key} in {archivePath} ({where})"));
            else if (continued[group.Key].FirstOrDefault() is { } next)
                excluded.Add(new(id, ExclusionReason.TranscriptSpansFiles, $"the subtitle goes on over {next}, which shows none ({where})"));
            else if (texts is [null])
                excluded.Add(new(id, ExclusionReason.NoTranscript, $"the script shows no subtitle with it ({where})"));
            else if (texts.Length > 1)
                excluded.Add(new(id, ExclusionReason.ConflictingTranscripts, $"{texts.Length} different subtitles ({where})"));
            else if (AsteriskTranscript.Clean(texts[0]!, new Dictionary<string, string>()) is { Reason: { } reason } cleaned)
                excluded.Add(new(id, reason, cleaned.Detail));
            else
                utterances.Add(new RecordedUtterance(id, archivePath, "warzone2100-narrator", texts[0]!) { ArchiveEntry = AudioFolder + group.Key });
        }
        var scripted = lines.Select(l => AudioFolder + l.Audio).ToHashSet();
        excluded.AddRange(sounds.Where(s => !scripted.Contains(s)).Order(StringComparer.Ordinal)
            .Select(s => new ExcludedItem(Path.GetFileNameWithoutExtension(s), ExclusionReason.NoTranscript, $"recorded but not in {ScriptEntry}")));
        return new SourceScan(utterances, excluded,
            ["the transcripts are the subtitles the game shows with each line of the narration; they are close to the speech but not word for word"]);
    }

    /// <summary>
    /// The <c>{"audio": …, "message": …}</c> objects of the tutorial script, in order. A message is a string literal in
    /// <c>_( )</c> (gettext) with JavaScript escapes, or <c>undefined</c>; any other expression counts as no message.
    /// </summary>
    public static IReadOnlyList<TutorialLine> ParseScript(string script, string fileName)
    {
        var lines = new List<TutorialLine>();
        foreach (Match m in ScriptObject().Matches(script))
        {
            var number = 1 + script.AsSpan(0, m.Index).Count('\n');
            var body = m.Groups["body"].Value;
            if (AudioField().Match(body) is not { Success: true } audio) continue;
            var message = MessageField().Match(body) is { Success: true, Groups: var g } && g["text"].Success
                ? Unescape(g["text"].Value, fileName, number)
                : null;
            lines.Add(new TutorialLine(audio.Groups["file"].Value, message, number));
        }
        return lines;
    }

    static string Unescape(string literal, string fileName, int line)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] != '\\')
                text.Append(literal[i]);
            else if (literal[++i] == 'u') // the pattern pairs every backslash with the character after it
            {
                if (i + 4 >= literal.Length || !ushort.TryParse(literal.AsSpan(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
                    throw new FormatException($"{fileName}:{line}: \\u needs four hexadecimal digits");
                text.Append((char)code);
                i += 4;
            }
            else
                text.Append(literal[i] switch { 'n' => '\n', 't' => '\t', var c => c });
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\{(?<body>[^{}]*""audio""[^{}]*)\}")]
    private static partial Regex ScriptObject();

    [GeneratedRegex(@"""audio""\s*:\s*""(?<file>[^""]+)""")]
    private static partial Regex AudioField();

    [GeneratedRegex(@"""message""\s*:\s*(?:_\(\s*(?<q>[""'])(?<text>(?:\\.|(?!\k<q>)[^\\])*)\k<q>\s*\)|undefined)")]
    private static partial Regex MessageField();
}
