using System.IO.Compression;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Corpus;

public class EnglishSourceParsingTests
{
    [Fact]
    public void TutorialObjectsPairEachSoundWithItsSubtitleOrNone()
    {
        var script = """
            consoleVar = [
                {"audio": "tut1.ogg", "clear": false, "message": _("In this training session you'll learn"), "state": 0, "wait": 1},
                {"audio": "tut6.ogg", "clear": false, "message": undefined, "state": 2, "wait": 2},

                {"audio": "tut7.ogg", "message": _('Left click the \'BUILD\' icon'), "func": "enableBuild"},
                {"audio": "tut8.ogg", "message": _("Say \"caf\u00e9\" \\ now")},
                {"audio": "tut9.ogg", "message": someVariable},
            ];
            """;
        Assert.Equal([
            new TutorialLine("tut1.ogg", "In this training session you'll learn", 2),
            new TutorialLine("tut6.ogg", null, 3),
            new TutorialLine("tut7.ogg", "Left click the 'BUILD' icon", 5),
            new TutorialLine("tut8.ogg", "Say \"café\" \\ now", 6),
            new TutorialLine("tut9.ogg", null, 7),
        ], WarzoneTutorial.ParseScript(script, "tutorial.js"));
    }

    [Fact]
    public void ABadUnicodeEscapeNamesFileAndLine()
    {
        var e = Assert.Throws<FormatException>(() => WarzoneTutorial.ParseScript("\n{\"audio\": \"a.ogg\", \"message\": _(\"x\\u12\")}", "script/tutorial.js"));
        Assert.Equal("script/tutorial.js:2: \\u needs four hexadecimal digits", e.Message);
    }

    [Theory]
    [InlineData("A brown hen.\nfr.utf8=Une poule marron.\nen_GB.utf8=A brown hen.", "A brown hen.")]
    [InlineData("\uFEFF\n  Two wild boars.  \nsr@latin.utf8=Dva divlja vepra.", "Two wild boars.")]
    [InlineData("ca@valencia.utf8=Una gallina rossa.\nA hen.", "A hen.")]
    [InlineData("Ratio: 1.utf8=2 is not a language tag", "Ratio: 1.utf8=2 is not a language tag")]
    public void TheEnglishDescriptionIsTheFirstLineThatIsNotATranslation(string file, string expected) =>
        Assert.Equal(expected, TuxPaintStamps.EnglishText(file.Split('\n')));

    [Fact]
    public void AStampTextWithOnlyTranslationsHasNoEnglish() =>
        Assert.Null(TuxPaintStamps.EnglishText(["", "fr.utf8=Une poule.", "de.utf8=Ein Huhn."]));

    [Fact]
    public void SoundListsKeepTheGroupOfEachSound()
    {
        var xml = """
            <!-- KLettres -->
            <klettres><language code="en">
              <menuitem><label>&amp;English</label></menuitem>
              <alphabet><sound name="A" file="en/alpha/A.ogg" /></alphabet>
              <syllables><sound name=" CAR " file="en/syllab/car.ogg" /><sound name="NOFILE" /></syllables>
            </language></klettres>
            """;
        Assert.Equal([new KdeSound("alphabet", "A", "en/alpha/A.ogg"), new KdeSound("syllables", "CAR", "en/syllab/car.ogg")],
            KdeSoundList.Parse(xml, "sounds.xml"));
    }

    [Fact]
    public void ASoundListThatIsNotXmlNamesFileAndLine()
    {
        var e = Assert.Throws<FormatException>(() => KdeSoundList.Parse("<language>\n<sound name=\"a\" file=\"b\">\n</language>", "en.soundtheme"));
        Assert.StartsWith("en.soundtheme:3: not well-formed XML", e.Message);
    }

    [Theory]
    [InlineData("alphabet", "A", "A")]
    [InlineData("syllables", "CAR", "CAR")]
    [InlineData("syllables", "SKY", "SKY")]
    [InlineData("syllables", "AW", "AW")]
    [InlineData("syllables", "CH", null)]
    [InlineData("syllables", "TH", null)]
    public void KLettresSaysLettersAsLettersAndSyllablesWithAVowelAsWords(string group, string name, string? expected) =>
        Assert.Equal(expected, KLettresSounds.Transcript(new KdeSound(group, name, "x.ogg")));

    [Theory]
    [InlineData("ball", "ball")]
    [InlineData("egypt_camel", "camel")]
    [InlineData("moon_fallingstar", "fallingstar")]
    public void AKTuberlingKeyNamesTheWordAfterItsPlaygroundPrefix(string key, string word) => Assert.Equal(word, KTuberlingSounds.Word(key));

    [Fact]
    public void AudioInAZipArchiveDecodesAsTheSameFileDoesAndAMissingMemberIsNamed()
    {
        var dir = TestAudio.TempDir();
        var ogg = Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-22k05-mono.ogg");
        var archive = Path.Combine(dir, "base.wz");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(ogg, "audio/tutorial/tut1.ogg", CompressionLevel.Optimal);
            zip.CreateEntryFromFile(ogg, "audio/tutorial/stored.ogg", CompressionLevel.NoCompression);
        }
        var expected = AudioDecoder.Decode(ogg);
        Assert.Equal(expected, RecordedAudio.Decode(new RecordedUtterance("tut1", archive, "narrator", "x") { ArchiveEntry = "audio/tutorial/tut1.ogg" }));
        Assert.Equal(expected, RecordedAudio.Decode(new RecordedUtterance("stored", archive, "narrator", "x") { ArchiveEntry = "audio/tutorial/stored.ogg" }));

        var e = Assert.Throws<AudioDecodeException>(() => RecordedAudio.Decode(new RecordedUtterance("gone", archive, "narrator", "x") { ArchiveEntry = "audio/gone.ogg" }));
        Assert.Equal((AudioProblem.Missing, $"{archive}!/audio/gone.ogg: not in the archive"), (e.Problem, e.Message));
        File.WriteAllText(archive, "not a zip");
        Assert.Equal(AudioProblem.CorruptHeader,
            Assert.Throws<AudioDecodeException>(() => RecordedAudio.Decode(new RecordedUtterance("tut1", archive, "narrator", "x") { ArchiveEntry = "audio/tutorial/tut1.ogg" })).Problem);
    }
}
