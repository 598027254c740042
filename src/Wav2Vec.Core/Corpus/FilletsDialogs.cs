namespace Wav2Vec.Corpus;

/// <summary>
/// The spoken dialogue of the game Fish Fillets NG in Czech (<c>fillets-ng-data-cs</c>, the original voice acting) or
/// Dutch (<c>fillets-ng-data-nl</c>): Ogg Vorbis under <c>sound/LEVEL/LANG/ID.ogg</c> (and <c>sound/share/GROUP/…</c>),
/// the text in the <c>dialogStr</c> of the same id in that level's <c>*_LANG.lua</c> scripts (<c>fillets-ng-data</c>).
/// The actors are not named; the speaker is the character's font (<c>font_small</c>, <c>font_big</c>, <c>font_parrot</c>, …).
/// </summary>
/// <param name="language">One of <see cref="Languages"/>; another throws <see cref="ArgumentException"/>.</param>
public sealed class FilletsDialogs(string language) : ISpeechSource
{
    /// <summary>Languages with recorded dialogue in Debian.</summary>
    public static readonly IReadOnlyList<string> Languages = ["cs", "nl"];

    const string GameFolder = "usr/share/games/fillets-ng";

    /// <inheritdoc/>
    public string Name => $"fillets-{Language}";

    /// <inheritdoc/>
    public string Language { get; } = SpeechSources.Require("fillets", language, Languages, "cs or nl");

    /// <inheritdoc/>
    public bool EvaluationOnly => false;

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["fillets-ng-data", $"fillets-ng-data-{Language}"];

    /// <inheritdoc/>
    public bool IsInstalled(string root) =>
        Directory.Exists(Path.Combine(root, GameFolder, "script")) && AudioFiles(root).Any();

    /// <inheritdoc/>
    public SourceScan Scan(string root)
    {
        var game = Path.Combine(root, GameFolder);
        var scripts = new Dictionary<string, ILookup<string, DialogLine>>();
        var utterances = new List<RecordedUtterance>();
        var excluded = new List<ExcludedItem>();
        foreach (var file in AudioFiles(root).Order(StringComparer.Ordinal))
        {
            // sound/city/cs/x.ogg is spoken in level "city"; sound/share/border/cs/x.ogg in the shared scripts.
            var folder = Path.GetRelativePath(Path.Combine(game, "sound"), Path.GetDirectoryName(Path.GetDirectoryName(file))!).Replace('\\', '/');
            var scriptFolder = folder.Split('/')[0];
            if (!scripts.TryGetValue(scriptFolder, out var lines))
                scripts[scriptFolder] = lines = ReadScripts(Path.Combine(game, "script", scriptFolder));
            var name = Path.GetFileNameWithoutExtension(file);
            var id = $"{folder}/{name}";
            var texts = lines[name].Select(l => l.Text).Distinct().ToArray();
            if (texts.Length == 0)
                excluded.Add(new ExcludedItem(id, ExclusionReason.NoTranscript, $"no dialogStr for \"{name}\" in script/{scriptFolder}/*_{Language}.lua"));
            else if (texts.Length > 1)
                excluded.Add(new ExcludedItem(id, ExclusionReason.ConflictingTranscripts, $"\"{name}\" has {texts.Length} different texts in script/{scriptFolder}/*_{Language}.lua"));
            else
            {
                var font = lines[name].First().Font;
                utterances.Add(new RecordedUtterance(id, file, font.Length > 0 ? font : "unnamed", texts[0]));
            }
        }
        return new SourceScan(utterances, excluded, ["speakers are the game's characters (fonts); the actors are not named, and one actor may voice several"]);
    }

    IEnumerable<string> AudioFiles(string root)
    {
        var sound = Path.Combine(root, GameFolder, "sound");
        return Directory.Exists(sound)
            ? Directory.EnumerateFiles(sound, "*.ogg", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == Language)
            : [];
    }

    ILookup<string, DialogLine> ReadScripts(string folder) =>
        (Directory.Exists(folder) ? Directory.EnumerateFiles(folder, $"*_{Language}.lua").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            .SelectMany(f => LuaDialogs.Parse(File.ReadAllText(f), f))
            .ToLookup(l => l.Id);
}
