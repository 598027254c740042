using System.IO.Compression;

namespace Wav2Vec.Corpus;

/// <summary>
/// Asterisk's core prompts (<c>asterisk-core-sounds-LANG</c>): one professional speaker per language reading a PBX's
/// few hundred prompts, transcribed in <c>/usr/share/doc/asterisk-core-sounds-LANG/core-sounds-LANG.txt.gz</c>. Audio is
/// read from the G.722 package (16 kHz wideband) and, where only the WAV package is installed, from its 8 kHz WAV.
/// English (<c>en</c>) is kept as an independent check set: <see cref="EvaluationOnly"/>.
/// </summary>
/// <param name="language">One of <see cref="Languages"/>; another throws <see cref="ArgumentException"/>.</param>
public sealed class AsteriskPrompts(string language) : ISpeechSource
{
    /// <summary>Languages with a transcript and audio package in Debian.</summary>
    public static readonly IReadOnlyList<string> Languages = ["es", "fr", "it", "ru", "en"];

    /// <summary>The language reserved for evaluation.</summary>
    public const string EvaluationLanguage = "en";

    static readonly string[] AudioExtensions = [".g722", ".wav"];

    /// <inheritdoc/>
    public string Name => $"asterisk-{Language}";

    /// <inheritdoc/>
    public string Language { get; } = SpeechSources.Require("asterisk", language, Languages, "one of es, fr, it, ru (or en, for evaluation only)");

    /// <inheritdoc/>
    public bool EvaluationOnly => Language == EvaluationLanguage;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => [$"asterisk-core-sounds-{Language}", $"asterisk-core-sounds-{Language}-g722"];

    /// <summary>The transcript file under <paramref name="root"/>.</summary>
    public string TranscriptPath(string root) =>
        Path.Combine(root, "usr/share/doc", $"asterisk-core-sounds-{Language}", $"core-sounds-{Language}.txt.gz");

    /// <summary>The speaker folders (<c>es_MX_f_Allison</c>) under <paramref name="root"/>.</summary>
    public IReadOnlyList<string> VoiceFolders(string root)
    {
        var sounds = Path.Combine(root, "usr/share/asterisk/sounds");
        return Directory.Exists(sounds)
            ? [.. Directory.EnumerateDirectories(sounds, $"{Language}_*_*").Where(d => new DirectoryInfo(d).LinkTarget is null).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <inheritdoc/>
    public bool IsInstalled(string root) =>
        File.Exists(TranscriptPath(root)) && VoiceFolders(root) is [var voice] && AudioFiles(voice).Any();

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var transcript = TranscriptPath(root);
        var voice = VoiceFolders(root) switch
        {
            [var one] => one,
            [] => throw new DirectoryNotFoundException($"{Path.Combine(root, "usr/share/asterisk/sounds")}: no {Language}_* prompt folder; install {string.Join(' ', Packages)}"),
            var many => throw new InvalidOperationException($"{Name}: several prompt folders, so the transcript's speaker is unknown: {string.Join(", ", many)}"),
        };
        var prompts = AsteriskTranscript.Parse(ReadLines(transcript), transcript);
        var numberWords = AsteriskTranscript.NumberWords(prompts);
        var audio = AudioFiles(voice).GroupBy(f => Key(voice, f)).ToDictionary(
            g => g.Key, g => g.OrderBy(f => Array.IndexOf(AudioExtensions, Path.GetExtension(f))).First());
        var speaker = Path.GetFileName(voice);
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        var spelled = 0;
        foreach (var group in prompts.GroupBy(p => p.Id.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var id = group.First().Id;
            if (group.Select(p => p.Text).Distinct().Count() > 1)
                excluded.Add(new(id, ExclusionReason.ConflictingTranscripts, $"lines {string.Join(", ", group.Select(p => p.LineNumber))} of {Path.GetFileName(transcript)}"));
            else if (!audio.TryGetValue(group.Key, out var file))
                excluded.Add(new(id, ExclusionReason.NoAudio, $"no {id}.g722 or .wav in {voice}"));
            else if (AsteriskTranscript.Clean(group.First().Text, numberWords) is var cleaned && cleaned.Reason is { } reason)
                excluded.Add(new(id, reason, cleaned.Detail));
            else
            {
                spelled += cleaned.NumbersSpelled;
                utterances.Add(new RecordedUtterance(id, file, speaker, cleaned.Text!));
            }
        }
        var transcribed = prompts.Select(p => p.Id.ToLowerInvariant()).ToHashSet();
        excluded.AddRange(audio.Where(a => !transcribed.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new ExcludedItem(Path.ChangeExtension(Path.GetRelativePath(voice, a.Value), null), ExclusionReason.NoTranscript, $"not in {Path.GetFileName(transcript)}")));
        var notes = new List<string>();
        if (spelled > 0) notes.Add($"{spelled} numbers written as digits were spelled with the words of the package's own digits/N prompts");
        var narrowband = utterances.Count(u => u.AudioPath.EndsWith(".wav", StringComparison.Ordinal));
        if (narrowband > 0)
            notes.Add($"{narrowband} prompts read from 8 kHz WAV (telephone band); install {Packages[1]} for the 16 kHz wideband recordings");
        return new SourceScan(utterances, excluded, notes);
    }

    static IEnumerable<string> AudioFiles(string voice) =>
        Directory.EnumerateFiles(voice, "*", SearchOption.AllDirectories).Where(f => AudioExtensions.Contains(Path.GetExtension(f)));

    /// <summary>The id a file answers to: its path in the speaker folder without extension, lower case (transcripts say <c>digits/1f</c> for <c>digits/1F.wav</c>).</summary>
    static string Key(string voice, string file) =>
        Path.ChangeExtension(Path.GetRelativePath(voice, file), null).Replace(Path.DirectorySeparatorChar, '/').ToLowerInvariant();

    static IEnumerable<string> ReadLines(string gzipPath)
    {
        if (!File.Exists(gzipPath)) throw new FileNotFoundException($"{gzipPath}: transcript file not found", gzipPath);
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress), System.Text.Encoding.UTF8);
        var lines = new List<string>();
        try
        {
            while (reader.ReadLine() is { } line) lines.Add(line);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"{gzipPath}: not a readable gzip file ({e.Message})", e);
        }
        return lines;
    }
}
