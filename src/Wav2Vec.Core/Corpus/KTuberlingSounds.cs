namespace Wav2Vec.Corpus;

/// <summary>
/// The words KTuberling says when a piece is placed (<c>ktuberling-data</c>): one English speaker naming body parts,
/// clothes, pizza toppings and the like, listed in <c>/usr/share/ktuberling/sounds/en.soundtheme</c> by a key
/// (<c>ball</c>, <c>egypt_camel</c>). The key is the only transcript: after the playground's prefix (<c>egypt_</c>,
/// <c>moon_</c>, …) it is taken as the word said only when it is a word of the American English word list
/// (<c>wamerican</c>); a key that is not (<c>palmtree</c>, <c>broccolli</c>, <c>sphynx</c>) is left out, since the
/// letters of what is said are not known.
/// </summary>
public sealed class KTuberlingSounds : ISpeechSource
{
    const string SoundFolder = "usr/share/ktuberling/sounds";
    const string WordList = "usr/share/dict/american-english";

    /// <param name="language">Null or <c>en</c>: the other languages are not imported.</param>
    public KTuberlingSounds(string? language = null) => Language = SpeechSources.Require("ktuberling", language ?? "en", ["en"], "en");

    /// <inheritdoc/>
    public string Name => "ktuberling-en";

    /// <inheritdoc/>
    public string Language { get; }

    /// <inheritdoc/>
    public bool EvaluationOnly => true;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["ktuberling-data", "wamerican"];

    static string ThemePath(string root) => Path.Combine(root, SoundFolder, "en.soundtheme");

    /// <inheritdoc/>
    public bool IsInstalled(string root) => File.Exists(ThemePath(root)) && File.Exists(Path.Combine(root, WordList));

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var theme = ThemePath(root);
        var folder = Path.Combine(root, SoundFolder);
        var words = File.ReadLines(Path.Combine(root, WordList)).Select(w => w.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sound in KdeSoundList.Parse(File.ReadAllText(theme), theme))
        {
            var audio = Path.Combine(folder, sound.File);
            var id = Path.ChangeExtension(sound.File, null).Replace('\\', '/');
            listed.Add(Path.GetFullPath(audio));
            var word = Word(sound.Name);
            if (!File.Exists(audio))
                excluded.Add(new(id, ExclusionReason.NoAudio, $"no {audio} for \"{sound.Name}\" in {theme}"));
            else if (!words.Contains(word))
                excluded.Add(new(id, ExclusionReason.NotAWord, $"\"{word}\" (key \"{sound.Name}\") is not in {WordList}: what is said is not known letter by letter"));
            else
                utterances.Add(new RecordedUtterance(id, audio, "ktuberling-en", word));
        }
        excluded.AddRange(Directory.EnumerateFiles(Path.Combine(folder, "en"), "*.ogg").Where(f => !listed.Contains(Path.GetFullPath(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new ExcludedItem("en/" + Path.GetFileNameWithoutExtension(f), ExclusionReason.NoTranscript, $"not in {theme}")));
        return new SourceScan(utterances, excluded, [$"the transcripts are the sound keys, kept where they are words of {WordList}"]);
    }

    /// <summary>The word a key names: the key after its playground prefix (<c>egypt_camel</c> → <c>camel</c>, <c>ball</c> → <c>ball</c>).</summary>
    public static string Word(string key) => key[(key.IndexOf('_') + 1)..];
}
