using NAudio.Wave;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Corpus;

public class CorpusSynthesizerTests
{
    static Dictionary<string, string> VoicesByPath(string outDir) =>
        File.ReadLines(Path.Combine(outDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);

    [Fact]
    public void TwoMinuteCorpusHasNestedCappedBudgetsHeldOutVoicesAndSixteenKiloHertzAudio()
    {
        var outDir = TestAudio.TempDir();
        var messages = new List<string>();
        var progress = new List<SynthProgress>();
        var report = CorpusSynthesizer.Synthesize(new CorpusOptions(outDir, Hours: 2.0 / 60, Seed: 3, DevSubset: 2), new SyncProgress<SynthProgress>(progress), messages.Add);

        var train = ManifestFiles.Read(outDir, "train");
        Assert.False(train.IsLabelled);
        Assert.InRange(train.TotalSeconds, 120, 150);
        var subsets = new[] { "train-10min", "train-1h", "train-10h" }.Select(s => ManifestFiles.Read(outDir, s)).ToArray();
        Assert.All(subsets, s => Assert.True(s.IsLabelled));
        Assert.All(subsets, s => Assert.Equal(train.Entries.Select(e => e.Path).Order(), s.Entries.Select(e => e.Path).Order()));
        Assert.Equal(3, messages.Count(m => m.Contains("is capped to the whole pool")));
        Assert.Equal(3, report.Notes.Count(m => m.Contains("capped")));

        var voices = VoicesByPath(outDir);
        var trainVoices = train.Entries.Select(e => voices[e.Path]).ToHashSet();
        foreach (var split in new[] { "dev", "test" })
        {
            var m = ManifestFiles.Read(outDir, split);
            Assert.True(m.IsLabelled);
            Assert.InRange(m.TotalSeconds, 30, 60);
            Assert.DoesNotContain(m.Entries, e => trainVoices.Contains(voices[e.Path]));
        }
        var dev = ManifestFiles.Read(outDir, "dev");
        var devSubset = ManifestFiles.Read(outDir, "dev-2");
        Assert.Equal(dev.Entries.Take(2), devSubset.Entries);
        Assert.True(dev.Entries.Count > 2);
        Assert.Contains(report.Splits, s => s.Name == "dev-2" && s.Utterances == 2 && s.Labelled);
        Assert.False(File.Exists(Path.Combine(outDir, "test-2.tsv")));

        foreach (var e in train.Entries.Take(5))
        {
            using var reader = new WaveFileReader(train.FullPath(e));
            Assert.Equal((16_000, 1, 16), (reader.WaveFormat.SampleRate, reader.WaveFormat.Channels, reader.WaveFormat.BitsPerSample));
            Assert.Equal(e.NumSamples, reader.SampleCount);
        }
        Assert.All(subsets[0].Entries, e => Assert.Matches("^[A-Z'|]+$", e.Letters!));
        Assert.NotEmpty(progress);
        Assert.True(report.RealTimeFactor > 0);
    }

    [Fact]
    public void SameSeedGivesByteIdenticalManifests()
    {
        var outDir = TestAudio.TempDir();
        string[] Snapshot() => [.. Directory.GetFiles(outDir).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + "\n" + File.ReadAllText(f))];
        var options = new CorpusOptions(outDir, Hours: 0.5 / 60, Seed: 11);
        CorpusSynthesizer.Synthesize(options);
        var first = Snapshot();
        CorpusSynthesizer.Synthesize(options with { Threads = 1 });
        Assert.Equal(first, Snapshot());
        Assert.Contains(first, f => f.StartsWith("train-1h.ltr\n") && f.Length > 20);
        Assert.DoesNotContain(first, f => f.StartsWith("dev-100"));
    }

    [Fact]
    public void PoolVoicesAreDisjointFromTheDefaultCorpusAndReadOnlyItsTrainingSentences()
    {
        var defaultDir = TestAudio.TempDir();
        CorpusSynthesizer.Synthesize(new CorpusOptions(defaultDir, Hours: 1.0 / 60, Seed: 5));
        var poolDir = TestAudio.TempDir();
        var report = CorpusSynthesizer.Synthesize(new CorpusOptions(poolDir, Hours: 1.0 / 60, Seed: 5, PoolVoices: true));
        // The pool synthesis installs festival's pool voice when missing, as the default corpus installs its own.
        var engines = CorpusPrerequisites.CreateEngines();
        var defaultVoices = engines.SelectMany(e => e.InstalledVoices()).Select(v => v.Id).ToHashSet();
        var poolVoices = engines.SelectMany(e => e.PoolVoices()).Select(v => v.Id).ToHashSet();
        foreach (var engine in engines) engine.Dispose();
        Assert.Empty(defaultVoices.Intersect(poolVoices));
        Assert.Contains("festival/ked_diphone", poolVoices);
        Assert.Equal(8 * 16 + 1, poolVoices.Count);

        Assert.Equal(["train"], report.Splits.Select(s => s.Name));
        Assert.Equal(["train.tsv", "utterances.tsv"], Directory.GetFiles(poolDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var pool = ManifestFiles.Read(poolDir, "train");
        Assert.False(pool.IsLabelled);
        Assert.InRange(pool.TotalSeconds, 60, 90);
        var rows = File.ReadLines(Path.Combine(poolDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.Equal(pool.Entries.Count, rows.Length);
        Assert.All(rows, r => Assert.Contains(r[1], poolVoices));
        Assert.True(rows.Select(r => r[1]).Distinct().Count() > 5);
        // Same seed: the pool's sentences are the default corpus's training sentences, never its dev or test ones.
        var heldOut = File.ReadLines(Path.Combine(defaultDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(f => !f[0].StartsWith("train/", StringComparison.Ordinal)).Select(f => f[4]).ToHashSet();
        Assert.NotEmpty(heldOut);
        Assert.DoesNotContain(rows, r => heldOut.Contains(r[4]));
        var defaultTrain = File.ReadLines(Path.Combine(defaultDir, "utterances.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(f => f[0].StartsWith("train/", StringComparison.Ordinal)).Select(f => f[4]).ToArray();
        Assert.Equal(defaultTrain.Take(5), rows.Select(r => r[4]).Take(5));
    }
}
