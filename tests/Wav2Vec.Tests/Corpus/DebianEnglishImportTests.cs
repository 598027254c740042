using System.IO.Compression;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Corpus;

/// <summary>The English evaluation corpus from packages laid out by the test under a fake root, as Debian installs them.</summary>
public class DebianEnglishImportTests
{
    readonly string root = TestAudio.TempDir();
    readonly string outDir = TestAudio.TempDir();
    static readonly string Ogg = Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-22k05-mono.ogg");

    string Put(string relative, string? text = null)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (text is null) File.Copy(Ogg, path);
        else File.WriteAllText(path, text);
        return path;
    }

    void Warzone()
    {
        var archive = Path.Combine(root, "usr/share/games/warzone2100");
        Directory.CreateDirectory(archive);
        using var zip = ZipFile.Open(Path.Combine(archive, "base.wz"), ZipArchiveMode.Create);
        using (var script = new StreamWriter(zip.CreateEntry("script/tutorial.js").Open()))
            script.Write("""
                consoleVar = [
                    {"audio": "tut1.ogg", "clear": false, "message": _("Oil resources are key to your success"), "state": 0},
                    {"audio": "tut2.ogg", "clear": false, "message": _("To build an oil derrick, select one of your trucks"), "state": 0},
                    {"audio": "tut3.ogg", "clear": false, "message": _("Left click the flashing BUILD icon"), "state": 0},
                    {"audio": "tut5.ogg", "clear": false, "message": _("The oil derrick is currently dormant. Build a power generator"), "state": 2},
                    {"audio": "tut6.ogg", "clear": false, "message": undefined, "state": 2},
                    {"audio": "tut42.ogg", "clear": true, "message": _("The delivery point is indicated by the number 1"), "state": 23},
                    {"audio": "tut51.ogg", "clear": false, "message": _("Please wait whilst the factory manufactures the new unit(s)"), "state": 25},
                    {"audio": "tut99.ogg", "clear": false, "message": _("Never recorded"), "state": 26},
                ];
                """);
        foreach (var n in new[] { 1, 2, 3, 5, 6, 42, 51, 77 }) zip.CreateEntryFromFile(Ogg, $"audio/tutorial/tut{n}.ogg");
    }

    void TuxPaint()
    {
        const string stamps = "usr/share/tuxpaint/stamps/animals/";
        Put(stamps + "birds/hen.txt", "A brown hen.\nfr.utf8=Une poule marron.\n");
        Put(stamps + "birds/hen_desc.ogg");
        Put(stamps + "birds/hen_desc_fr.ogg");
        Put(stamps + "mammals/wildboar.txt", "Two wild boars.\nde.utf8=Zwei Wildschweine.\n");
        Put(stamps + "mammals/wildboar_desc.ogg");
        Put(stamps + "marsupials/wallaby_desc.ogg");
    }

    void KTuberling()
    {
        Put("usr/share/ktuberling/sounds/en.soundtheme", """
            <language code="en">
                <sound name="ball" file="en/ball.ogg" />
                <sound name="egypt_camel" file="en/egypt_camel.ogg" />
                <sound name="egypt_palmtree" file="en/egypt_palmtree.ogg" />
                <sound name="moon_ufo" file="en/moon_ufo.ogg" />
            </language>
            """);
        foreach (var key in new[] { "ball", "egypt_camel", "egypt_palmtree", "moon_ufo", "egypt_unlisted" }) Put($"usr/share/ktuberling/sounds/en/{key}.ogg");
        Put("usr/share/dict/american-english", "UFO\nball\ncamel\npalm\ntree\n");
    }

    void KLettres()
    {
        foreach (var (voice, syllable) in new[] { ("en", "CH"), ("en_GB", "WELL") })
        {
            Put($"usr/share/klettres/{voice}/sounds.xml", $"""
                <klettres><language code="{voice}">
                  <alphabet><sound name="A" file="{voice}/alpha/a.ogg" /><sound name="B" file="{voice}/alpha/b.ogg" /></alphabet>
                  <syllables><sound name="{syllable}" file="{voice}/syllab/{syllable.ToLowerInvariant()}.ogg" /></syllables>
                </language></klettres>
                """);
            foreach (var f in new[] { "alpha/a", "alpha/b", $"syllab/{syllable.ToLowerInvariant()}" }) Put($"usr/share/klettres/{voice}/{f}.ogg");
        }
    }

    [Fact]
    public void TheFourSourcesBecomeOneTestSplitWithTheirTranscriptsAndEveryLeftOutItemNamed()
    {
        Warzone();
        TuxPaint();
        KTuberling();
        KLettres();
        var source = new CombinedSources("debian-en",
            [("warzone", new WarzoneTutorial()), .. CombinedSources.DebianEnglish().Parts]);
        Assert.True(source.IsInstalled(root));
        var report = SpeechImporter.Import(source, new ImportOptions(outDir, Root: root));

        Assert.Equal(["test"], report.Splits.Select(s => s.Name));
        Assert.True(File.Exists(Path.Combine(outDir, "EVALUATION-ONLY.txt")));
        Assert.False(File.Exists(Path.Combine(outDir, "vocab.json")));
        var words = ManifestFiles.Read(outDir, "test").Entries.ToDictionary(e => e.Path, e => e.Words);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["klettres/en/alpha/a.wav"] = "A",
            ["klettres/en/alpha/b.wav"] = "B",
            ["klettres/en_GB/alpha/a.wav"] = "A",
            ["klettres/en_GB/alpha/b.wav"] = "B",
            ["klettres/en_GB/syllab/well.wav"] = "WELL",
            ["ktuberling/en/ball.wav"] = "BALL",
            ["ktuberling/en/egypt_camel.wav"] = "CAMEL",
            ["ktuberling/en/moon_ufo.wav"] = "UFO",
            ["tuxpaint/animals/birds/hen.wav"] = "A BROWN HEN",
            ["tuxpaint/animals/mammals/wildboar.wav"] = "TWO WILD BOARS",
            ["warzone/tut1.wav"] = "OIL RESOURCES ARE KEY TO YOUR SUCCESS",
            ["warzone/tut2.wav"] = "TO BUILD AN OIL DERRICK SELECT ONE OF YOUR TRUCKS",
            ["warzone/tut3.wav"] = "LEFT CLICK THE FLASHING BUILD ICON",
        }, words);
        var speakers = File.ReadLines(Path.Combine(outDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t')[2]).Distinct().Order();
        Assert.Equal(["klettres-en", "klettres-en_GB", "ktuberling-en", "tuxpaint-stamps", "warzone2100-narrator"], speakers);

        var excluded = File.ReadLines(Path.Combine(outDir, "excluded.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal(new Dictionary<string, string>
        {
            ["klettres/en/syllab/ch"] = "NotAWord",
            ["ktuberling/en/egypt_palmtree"] = "NotAWord",
            ["ktuberling/en/egypt_unlisted"] = "NoTranscript",
            ["tuxpaint/animals/marsupials/wallaby"] = "NoTranscript",
            ["warzone/tut42"] = "NumberNotSpelled",
            ["warzone/tut5"] = "TranscriptSpansFiles",
            ["warzone/tut51"] = "UncertainAnnotation",
            ["warzone/tut6"] = "NoTranscript",
            ["warzone/tut77"] = "NoTranscript",
            ["warzone/tut99"] = "NoAudio",
        }, excluded);
        Assert.Contains(report.Notes, n => n == "debian-en is reserved for evaluation: all 13 utterances are in test; no train, dev or vocabulary is written");
    }

    [Fact]
    public void SpeakingRatesAreComparedWithinEachPartNotAcrossTheCorpus()
    {
        // Every file lasts 0.5 s: a sentence is then far faster than a word, and a word than a letter, as in the
        // packages; neither may be taken for a transcript that cannot be what is said.
        Warzone();
        KLettres();
        var source = new CombinedSources("mixed", [("warzone", new WarzoneTutorial()), ("klettres", new KLettresSounds())]);
        var report = SpeechImporter.Import(source, new ImportOptions(outDir, Root: root));
        Assert.DoesNotContain(report.Excluded, e => e.Reason == ExclusionReason.TooFast);
        Assert.Equal(8, report.Splits.Single().Utterances);
    }

    [Theory]
    [InlineData("debian", "fr", "debian: --language must be en, got 'fr'")]
    [InlineData("warzone", "de", "warzone: --language must be en (the game is voiced in English only), got 'de'")]
    [InlineData("tuxpaint", "es", "tuxpaint: --language must be en, got 'es'")]
    public void TheEnglishSourcesRefuseOtherLanguages(string name, string language, string expected) =>
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => SpeechSources.Create(name, language)).Message);

    [Fact]
    public void EachEnglishSourceNamesItsPackagesAndIsEvaluationOnly()
    {
        var debian = SpeechSources.Create("debian", null);
        Assert.Equal(("debian-en", "en", true), (debian.Name, debian.Language, debian.EvaluationOnly));
        Assert.Equal(["tuxpaint-stamps-default", "ktuberling-data", "wamerican", "klettres-data"], debian.Packages);
        Assert.False(debian.IsInstalled(root));
        Assert.All(new[] { "warzone", "tuxpaint", "ktuberling", "klettres" }.Select(n => SpeechSources.Create(n, null)), s => Assert.True(s.EvaluationOnly));
    }
}
