namespace Wav2Vec.Corpus;

/// <summary>
/// The letters and short words KLettres says (<c>klettres-data</c>): for each English voice (<c>en</c>, American, and
/// <c>en_GB</c>, British), the alphabet read letter by letter and a few syllables, listed with their names in
/// <c>/usr/share/klettres/VOICE/sounds.xml</c>. A letter is transcribed as the letter (<c>A</c>, said "ay"), as
/// Asterisk's <c>letters/</c> prompts are; a syllable is transcribed by its name when it is a word, and left out when
/// it has no vowel (<c>CH</c>, <c>TH</c>: a consonant sound, not letters said one by one). Letters and syllables are
/// separate <see cref="RecordedUtterance.Part"/>s: a letter said slowly on its own would make every word look too fast.
/// </summary>
public sealed class KLettresSounds : ISpeechSource
{
    const string Folder = "usr/share/klettres";

    /// <summary>The English voices.</summary>
    public static readonly IReadOnlyList<string> Voices = ["en", "en_GB"];

    /// <param name="language">Null or <c>en</c>: the other languages are not imported.</param>
    public KLettresSounds(string? language = null) => Language = SpeechSources.Require("klettres", language ?? "en", ["en"], "en");

    /// <inheritdoc/>
    public string Name => "klettres-en";

    /// <inheritdoc/>
    public string Language { get; }

    /// <inheritdoc/>
    public bool EvaluationOnly => true;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["klettres-data"];

    /// <inheritdoc/>
    public bool IsInstalled(string root) => Voices.All(v => File.Exists(ListPath(root, v)));

    static string ListPath(string root, string voice) => Path.Combine(root, Folder, voice, "sounds.xml");

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var folder = Path.Combine(root, Folder);
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        foreach (var voice in Voices)
        {
            var list = ListPath(root, voice);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sound in KdeSoundList.Parse(File.ReadAllText(list), list))
            {
                var audio = Path.Combine(folder, sound.File);
                var id = Path.ChangeExtension(sound.File, null).Replace('\\', '/');
                listed.Add(Path.GetFullPath(audio));
                if (!File.Exists(audio))
                    excluded.Add(new(id, ExclusionReason.NoAudio, $"no {audio} for \"{sound.Name}\" in {list}"));
                else if (Transcript(sound) is { } text)
                    utterances.Add(new RecordedUtterance(id, audio, $"klettres-{voice}", text) { Part = sound.Group });
                else
                    excluded.Add(new(id, ExclusionReason.NotAWord, $"\"{sound.Name}\" has no vowel: a consonant sound, not a word"));
            }
            var voiceFolder = Path.Combine(folder, voice);
            excluded.AddRange(Directory.EnumerateFiles(voiceFolder, "*.ogg", SearchOption.AllDirectories)
                .Where(f => !listed.Contains(Path.GetFullPath(f))).Order(StringComparer.Ordinal)
                .Select(f => new ExcludedItem(Path.ChangeExtension(Path.GetRelativePath(folder, f), null).Replace('\\', '/'), ExclusionReason.NoTranscript, $"not in {list}")));
        }
        return new SourceScan(utterances, excluded, ["letters are transcribed as the letter (A), not as its name (ay)"]);
    }

    /// <summary>
    /// What a KLettres sound says, in letters: a letter of the alphabet as itself, a syllable with a vowel (<c>CAR</c>,
    /// <c>SKY</c>) as its name; null for a syllable without one (<c>CH</c>), whose letters are not what is said.
    /// </summary>
    public static string? Transcript(KdeSound sound) =>
        sound.Group == "alphabet" || sound.Name.Any(c => "AEIOUYaeiouy".Contains(c)) ? sound.Name : null;
}
