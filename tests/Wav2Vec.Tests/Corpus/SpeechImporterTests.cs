using System.IO.Compression;
using NAudio.Codecs;
using NAudio.Wave;
using Wav2Vec.Corpus;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Corpus;

public class SpeechImporterTests
{
    readonly string root = TestAudio.TempDir();
    readonly string outDir = TestAudio.TempDir();

    /// <summary>A tone as long as a speaker would take for the text (≈12 letters a second), so the rate check passes it.</summary>
    static float[] Speech(string text, int rate) => TestAudio.Sine(300, 0.1 + text.Count(char.IsLetter) / 12.0, rate);

    /// <summary>Lays out an Asterisk prompt package for <paramref name="language"/>; prompts with a null file name get no audio.</summary>
    void AsteriskPackage(string language, IEnumerable<(string Id, string Text, string? File)> prompts, params string[] extraFiles)
    {
        var doc = Directory.CreateDirectory(Path.Combine(root, $"usr/share/doc/asterisk-core-sounds-{language}")).FullName;
        using (var gz = new StreamWriter(new GZipStream(File.Create(Path.Combine(doc, $"core-sounds-{language}.txt.gz")), CompressionLevel.Fastest)))
        {
            gz.WriteLine($"; Core Asterisk Sounds ({language})");
            foreach (var p in prompts) gz.WriteLine($"{p.Id}: {p.Text}");
        }
        var voice = Path.Combine(root, $"usr/share/asterisk/sounds/{language}_XX_f_Test");
        foreach (var (id, text, file) in prompts.Where(p => p.File is not null).Select(p => (p.Id, p.Text, p.File!)).Concat(extraFiles.Select(f => (f, "x y z", f))))
        {
            var path = Path.Combine(voice, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (file.EndsWith(".wav")) TestAudio.WriteWav(path, Speech(text, 8_000), 8_000, 1, 16);
            else if (file.EndsWith(".empty.g722")) File.WriteAllBytes(path.Replace(".empty", ""), []);
            else WriteG722(path, Speech(text, 16_000));
        }
    }

    static void WriteG722(string path, float[] samples)
    {
        var pcm = samples.Select(s => (short)(s * short.MaxValue)).ToArray()[..(samples.Length / 2 * 2)];
        var bytes = new byte[pcm.Length / 2];
        File.WriteAllBytes(path, bytes[..new G722Codec().Encode(new G722CodecState(64_000, G722Flags.None), bytes, pcm, pcm.Length)]);
    }

    static readonly (string, string, string?)[] SpanishPrompts =
    [
        ("agent-loginok", "Agente conectado", "agent-loginok.g722"),
        ("agent-loggedoff", "Agente desconectado", "agent-loggedoff.g722"),
        ("conf-locked", "La conferencia ha sido bloqueada.", "conf-locked.g722"),
        ("conf-lockednow", "La conferencia ha sido bloqueada.", "conf-lockednow.g722"),
        ("conf-extended", "La conferencia ha sido extendida.", "conf-extended.g722"),
        ("conf-getpin", "Por favor ingrese la clave de entrada.", "conf-getpin.g722"),
        ("conf-kicked", "Ha sido expulsado de esta conferencia.", "conf-kicked.wav"),
        ("vm-Cust1", "Carpeta 5", "vm-Cust1.g722"),
        ("digits/5", "cinco", "digits/5.g722"),
        ("auth-thankyou", "Gracias", "auth-thankyou.g722"),
        ("vm-goodbye", "Adiós", "vm-goodbye.g722"),
        ("vm-intro", "Deje su mensaje después del tono.", "vm-intro.g722"),
        ("beep", "[tono simple]", "beep.g722"),
        ("demo-instruct", "Marque 500 para la demostración", "demo-instruct.g722"),
        ("missing-audio", "Este archivo no existe", null),
        ("broken", "Este archivo está vacío", "broken.empty.g722"),
    ];

    static Dictionary<string, string> Column(string outDir, int column) =>
        File.ReadLines(Path.Combine(outDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[column]);

    [Fact]
    public void AFakeAsteriskPackageBecomesTranscriptDisjointManifestsWithBudgetsVocabularyAndNamedExclusions()
    {
        AsteriskPackage("es", SpanishPrompts, "extra.g722");
        var options = new ImportOptions(outDir, Seed: 1, DevFraction: 0.2, TestFraction: 0.3, Root: root) { Budgets = [new Budget("train-5s", 5), new Budget("train-1h", 3600)] };
        var report = SpeechImporter.Import(new AsteriskPrompts("es"), options);

        Assert.Equal(["train", "train-5s", "dev", "test"], report.Splits.Select(s => s.Name));
        Assert.False(File.Exists(Path.Combine(outDir, "train-1h.tsv")));
        Assert.Contains(report.Notes, n => n.StartsWith("train-1h not written: the training split holds only 0.") && n.EndsWith("less than 60 min"));
        Assert.Contains(report.Notes, n => n.StartsWith("1 prompts read from 8 kHz WAV"));
        Assert.Contains(report.Notes, n => n.StartsWith("1 numbers written as digits were spelled"));

        var manifests = report.Splits.ToDictionary(s => s.Name, s => ManifestFiles.Read(outDir, s.Name));
        Assert.All(manifests.Values, m => Assert.Equal(Path.Combine(outDir, "wav"), m.Root));
        Assert.Equal(12, manifests["train"].Entries.Count + manifests["dev"].Entries.Count + manifests["test"].Entries.Count);
        Assert.Subset(manifests["train"].Entries.Select(e => e.Path).ToHashSet(), manifests["train-5s"].Entries.Select(e => e.Path).ToHashSet());
        Assert.InRange(manifests["train-5s"].TotalSeconds, 2.5, 7.5);
        foreach (var e in manifests.Values.SelectMany(m => m.Entries.Select(e => (m, e))))
        {
            using var wav = new WaveFileReader(e.m.FullPath(e.e));
            Assert.Equal((16_000, 1, 16, e.e.NumSamples), (wav.WaveFormat.SampleRate, wav.WaveFormat.Channels, wav.WaveFormat.BitsPerSample, wav.SampleCount));
        }
        var split = Column(outDir, 1);
        Assert.Equal(split["conf-locked.wav"], split["conf-lockednow.wav"]);
        var all = new[] { "train", "dev", "test" }.SelectMany(s => manifests[s].Entries).ToDictionary(e => e.Path);
        Assert.Equal("carpeta cinco", all["vm-Cust1.wav"].Words);
        Assert.Equal("a d i ó s |", new Wav2Vec.Text.NormalizedTranscript(all["vm-goodbye.wav"].Letters!, []).ToLtr());
        Assert.Equal(2 * Speech("Ha sido expulsado de esta conferencia.", 8_000).Length, all["conf-kicked.wav"].NumSamples);

        var trainLetters = manifests["train"].Entries.SelectMany(e => e.Letters!.Replace("|", "")).Select(c => c.ToString()).ToHashSet();
        var vocabulary = Vocabulary.Load(Path.Combine(outDir, "vocab.json"));
        Assert.Equal(trainLetters, vocabulary.Tokens.Skip(Vocabulary.SpecialTokens.Length).ToHashSet());
        Assert.Equal(vocabulary, report.Vocabulary);

        var excluded = File.ReadLines(Path.Combine(outDir, "excluded.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (f[1], f[2]));
        Assert.Equal(("NotSpeech", "[tono simple]"), excluded["beep"]);
        Assert.Equal(("NumberNotSpelled", "500"), excluded["demo-instruct"]);
        Assert.Equal("NoAudio", excluded["missing-audio"].Item1);
        Assert.Equal("NoTranscript", excluded["extra"].Item1);
        Assert.Equal("BadAudio", excluded["broken"].Item1);
        Assert.EndsWith("es_XX_f_Test/broken.g722: file is empty (0 bytes)", excluded["broken"].Item2);
    }

    [Fact]
    public void ReimportingWithTheSameSeedGivesByteIdenticalFilesAndRemovesStaleSplits()
    {
        AsteriskPackage("es", SpanishPrompts);
        var options = new ImportOptions(outDir, Seed: 5, DevFraction: 0.2, TestFraction: 0.3, Root: root, Threads: 3) { Budgets = [new Budget("train-10min", 5)] };
        string[] Snapshot() => [.. Directory.GetFiles(outDir).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + "\n" + File.ReadAllText(f))];
        SpeechImporter.Import(new AsteriskPrompts("es"), options);
        var first = Snapshot();
        File.WriteAllText(Path.Combine(outDir, "train-1h.tsv"), "stale");
        SpeechImporter.Import(new AsteriskPrompts("es"), options with { Threads = 1 });
        Assert.Equal(first, Snapshot());
    }

    [Fact]
    public void EnglishPromptsAreWrittenAsATestSplitOnly()
    {
        AsteriskPackage("en", [("auth-thankyou", "Thank you.", "auth-thankyou.g722"), ("vm-goodbye", "Goodbye", "vm-goodbye.g722"),
            ("agent-loginok", "Agent logged in.", "agent-loginok.g722")]);
        var report = SpeechImporter.Import(new AsteriskPrompts("en"), new ImportOptions(outDir, Root: root));

        Assert.Equal(["test"], report.Splits.Select(s => s.Name));
        Assert.Equal(["EVALUATION-ONLY.txt", "excluded.tsv", "test.ltr", "test.tsv", "test.wrd", "utterances.tsv"],
            Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(report.Vocabulary);
        Assert.Contains(report.Notes, n => n == "asterisk-en is reserved for evaluation: all 3 utterances are in test; no train, dev or vocabulary is written");
        Assert.Equal(["AGENT LOGGED IN", "THANK YOU", "GOODBYE"], ManifestFiles.Read(outDir, "test").Entries.Select(e => e.Words));
    }

    [Fact]
    public void FakeGameDialogueIsDecodedFromOggAndACutFileIsNamed()
    {
        var game = Path.Combine(root, "usr/share/games/fillets-ng");
        var texts = new[] { "Klid.", "Ryba plave.", "Haló!", "Voda je studená.", "Kde je klíč?", "Ne.", "Ano, jdeme.", "To je ono." };
        var sound = Directory.CreateDirectory(Path.Combine(game, "sound/city/cs")).FullName;
        var ogg = Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-22k05-mono.ogg");
        for (var i = 0; i < texts.Length; i++) File.Copy(ogg, Path.Combine(sound, $"line{i}.ogg"));
        File.WriteAllBytes(Path.Combine(sound, "line7.ogg"), File.ReadAllBytes(ogg)[..2_000]);
        var script = Directory.CreateDirectory(Path.Combine(game, "script/city")).FullName;
        File.WriteAllText(Path.Combine(script, "dialogs_cs.lua"),
            string.Concat(texts.Select((t, i) => $"dialogId(\"line{i}\", \"{(i % 2 == 0 ? "font_small" : "font_big")}\", \"English\")\ndialogStr(\"{t}\")\n\n")));

        var progress = new List<ImportProgress>();
        var report = SpeechImporter.Import(new FilletsDialogs("cs"), new ImportOptions(outDir, DevFraction: 0.2, TestFraction: 0.2, Root: root),
            new SyncProgress<ImportProgress>(progress));

        Assert.Equal(7, report.Splits.Where(s => s.Name is "train" or "dev" or "test").Sum(s => s.Utterances));
        var bad = Assert.Single(report.Excluded);
        Assert.Equal(("city/line7", ExclusionReason.BadAudio), (bad.Id, bad.Reason));
        Assert.Contains("sound/city/cs/line7.ogg: truncated", bad.Detail);
        Assert.All(Column(outDir, 3).Values, s => Assert.Equal("0.500", s));
        Assert.Equal(["font_big", "font_small"], Column(outDir, 2).Values.Distinct().Order());
        Assert.Equal(new ImportProgress(8, 8), progress.MaxBy(p => p.Decoded));
    }

    [Fact]
    public void AMissingPackageIsNamedWithItsInstallCommand()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SpeechImporter.Import(new FestvoxRussian(), new ImportOptions(outDir, Root: root)));
        Assert.Equal($"festvox-ru: the files of festvox-ru are not under {root}; install them with: sudo apt-get install festvox-ru", e.Message);
    }

    [Theory]
    [InlineData("asterisk", "de", "asterisk: --language must be one of es, fr, it, ru (or en, for evaluation only), got 'de'")]
    [InlineData("festvox", "cy", "festvox: only Russian (ru) has recordings with prompts in Debian, got 'cy'")]
    [InlineData("fillets", null, "fillets: --language is required (cs or nl)")]
    [InlineData("librivox", "en", "unknown source 'librivox'")]
    public void UnknownSourcesAndLanguagesSayWhatExists(string source, string? language, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<ArgumentException>(() => SpeechSources.Create(source, language)).Message);
}
