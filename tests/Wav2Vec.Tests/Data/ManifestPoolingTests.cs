using System.Text.RegularExpressions;
using FsCheck.Xunit;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Data;

public class ManifestPoolingTests
{
    readonly string dir = TestAudio.TempDir();

    /// <summary>A manifest in its own folder with a relative root, as <c>data import</c> writes them.</summary>
    string Corpus(string name, params (string Path, long Samples, string? Words)[] entries)
    {
        var folder = Path.Combine(dir, name);
        ManifestFiles.Write(folder, "train", new Manifest(Path.Combine(folder, "wav"),
            [.. entries.Select(e => new ManifestEntry(e.Path, e.Samples, e.Words?.Replace(' ', '|'), e.Words))]));
        var tsv = ManifestFiles.TsvPath(folder, "train");
        var lines = File.ReadAllLines(tsv);
        lines[0] = "wav";
        File.WriteAllLines(tsv, lines);
        return folder;
    }

    [Fact]
    public void BalancedPoolListsTheShortManifestUntilItHoldsAboutAsMuchAudioAndEveryEntryStillFindsItsFile()
    {
        var english = Corpus("en", ("a.wav", 16000 * 60, "A"), ("b.wav", 16000 * 60, "B"));
        var spanish = Corpus("es", ("uno.wav", 16000 * 10, "UNO"), ("dos.wav", 16000 * 20, "DOS"));
        var sources = new[] { english, spanish }.Select(f => (f, ManifestFiles.Read(f, "train"))).ToList();

        var (pool, shares) = ManifestPooling.Pool(sources, balance: true);

        Assert.Equal([1, 4], shares.Select(s => s.Repeats));
        Assert.Equal(2 + 4 * 2, pool.Entries.Count);
        Assert.Equal(120 + 4 * 30, pool.TotalSeconds, 9);
        ManifestFiles.Write(Path.Combine(dir, "pool"), "train", pool);
        var read = ManifestFiles.Read(Path.Combine(dir, "pool"), "train");
        var expected = sources.SelectMany((s, i) => Enumerable.Repeat(s.Item2.Entries.Select(s.Item2.FullPath), shares[i].Repeats).SelectMany(p => p));
        Assert.Equal(expected.Select(Path.GetFullPath), read.Entries.Select(read.FullPath).Select(Path.GetFullPath));
        Assert.True(read.IsLabelled);
        Assert.Equal(["A", "B", "UNO", "DOS", "UNO"], read.Entries.Take(5).Select(e => e.Words));
    }

    [Fact]
    public void AnUnbalancedPoolListsEachEntryOnceAndAMixOfLabelledAndUnlabelledIsUnlabelled()
    {
        var labelled = Corpus("en", ("a.wav", 16000 * 60, "A"));
        var unlabelled = Corpus("es", ("uno.wav", 16000, null));
        var (pool, shares) = ManifestPooling.Pool([.. new[] { labelled, unlabelled }.Select(f => (f, ManifestFiles.Read(f, "train")))], balance: false);
        Assert.Equal([1, 1], shares.Select(s => s.Repeats));
        Assert.Equal(2, pool.Entries.Count);
        Assert.False(pool.IsLabelled);
    }

    [Fact]
    public void AnEmptyManifestIsNamed()
    {
        var empty = Path.Combine(dir, "empty");
        ManifestFiles.Write(empty, "train", new Manifest("/r", []));
        var error = Assert.Throws<ArgumentException>(() => ManifestPooling.Pool([("empty/train.tsv", ManifestFiles.Read(empty, "train"))], balance: true));
        Assert.Contains("empty/train.tsv", error.Message);
    }

    [Property(MaxTest = 100)]
    public bool BalancedSharesEachHoldBetweenTwoThirdsAndFourThirdsOfTheLongestManifest(ushort[] lengths)
    {
        var seconds = lengths.Where(l => l > 0).Take(6).ToList();
        if (seconds.Count == 0) return true;
        var sources = seconds.Select((s, i) => ($"m{i}", new Manifest("/r", [new ManifestEntry($"u{i}.wav", 16000L * s)]))).ToList();
        var (pool, shares) = ManifestPooling.Pool(sources, balance: true);
        var longest = seconds.Max();
        return shares.All(s => s.PooledSeconds >= longest * 2 / 3.0 - 1e-9 && s.PooledSeconds <= longest * 4 / 3.0 + 1e-9)
               && pool.Entries.Count == shares.Sum(s => s.Repeats);
    }

    [Fact]
    public void VoicesKeepOnlyTheUtterancesWhoseVoiceMatchesAndNameWhatIsWrong()
    {
        var folder = Corpus("voiced", ("train/0.wav", 16000, null), ("train/1.wav", 16000, null), ("train/2.wav", 32000, null));
        File.WriteAllText(Path.Combine(folder, ManifestPooling.VoiceTable),
            "path\tvoice\tspeed\tpitch\ttext\ntrain/0.wav\tespeak-ng/en-us+m1\t1\t1\tA.\ntrain/1.wav\tflite/slt\t1\t1\tB.\ntrain/2.wav\tfestival/kal_diphone\t1\t1\tC.\n");
        var manifest = ManifestFiles.Read(folder, "train");

        var kept = ManifestPooling.WithVoices(manifest, folder, "voiced/train.tsv", new Regex("^(flite|festival)/"));
        Assert.Equal(["train/1.wav", "train/2.wav"], kept.Entries.Select(e => e.Path));
        Assert.Equal(manifest.Root, kept.Root);

        var none = Assert.Throws<ArgumentException>(() => ManifestPooling.WithVoices(manifest, folder, "voiced/train.tsv", new Regex("^mbrola/")));
        Assert.Contains("voiced/train.tsv: no utterance's voice matches '^mbrola/'", none.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ManifestPooling.WithVoices(manifest, dir, "x/train.tsv", new Regex(".")));
        Assert.Contains(ManifestPooling.VoiceTable, missing.Message);
        File.WriteAllText(Path.Combine(folder, ManifestPooling.VoiceTable), "path\tvoice\ntrain/0.wav\tflite/slt\n");
        var stranger = Assert.Throws<ArgumentException>(() => ManifestPooling.WithVoices(manifest, folder, "voiced/train.tsv", new Regex(".")));
        Assert.Contains("train/1.wav is not in", stranger.Message);
        // An imported corpus's table names speakers, not voices: refused, not matched against another column.
        File.WriteAllText(Path.Combine(folder, ManifestPooling.VoiceTable), "path\tsplit\tspeaker\ntrain/0.wav\ttrain\tx\n");
        var imported = Assert.Throws<ArgumentException>(() => ManifestPooling.WithVoices(manifest, folder, "voiced/train.tsv", new Regex("train")));
        Assert.Contains("no 'path' and 'voice' columns", imported.Message);
    }
    [Fact]
    public void UtterancesKeepTheListedEntriesInManifestOrderAndNameWhatIsWrong()
    {
        var folder = Corpus("listed", ("train/0.wav", 16000, "A"), ("train/1.wav", 16000, "B"), ("train/2.wav", 32000, "C"));
        var manifest = ManifestFiles.Read(folder, "train");
        var csv = Path.Combine(dir, "subset.csv");
        File.WriteAllText(csv, "path,voice,seconds\ntrain/2.wav,\"flite/slt, slow\",2\n\"train/0.wav\",espeak-ng/en,1\n");

        var kept = ManifestPooling.WithUtterances(manifest, "listed/train.tsv", csv);
        Assert.Equal(["train/0.wav", "train/2.wav"], kept.Entries.Select(e => e.Path));
        Assert.Equal(["A", "C"], kept.Entries.Select(e => e.Words));
        Assert.Equal(manifest.Root, kept.Root);

        var tsv = Path.Combine(dir, "subset.tsv");
        File.WriteAllText(tsv, "voice\tpath\nflite/slt\ttrain/1.wav\n");
        Assert.Equal(["train/1.wav"], ManifestPooling.WithUtterances(manifest, "listed/train.tsv", tsv).Entries.Select(e => e.Path));

        File.WriteAllText(csv, "path\ntrain/0.wav\ntrain/9.wav\n");
        var stranger = Assert.Throws<ArgumentException>(() => ManifestPooling.WithUtterances(manifest, "listed/train.tsv", csv));
        Assert.Contains("listed/train.tsv: 1 of the 2 utterances of", stranger.Message);
        Assert.Contains("train/9.wav", stranger.Message);
        File.WriteAllText(csv, "file,voice\ntrain/0.wav,x\n");
        Assert.Contains("no 'path' column", Assert.Throws<ArgumentException>(() => ManifestPooling.WithUtterances(manifest, "listed/train.tsv", csv)).Message);
        File.WriteAllText(csv, "path\n");
        Assert.Contains("lists no utterances", Assert.Throws<ArgumentException>(() => ManifestPooling.WithUtterances(manifest, "listed/train.tsv", csv)).Message);
        Assert.Throws<FileNotFoundException>(() => ManifestPooling.WithUtterances(manifest, "listed/train.tsv", Path.Combine(dir, "none.csv")));
    }
    [Fact]
    public void PoolWritesTheListedSubsetWithItsLabelsAndRefusesAStrangerInOneLine()
    {
        var folder = Corpus("cli", ("train/0.wav", 16000, "A B"), ("train/1.wav", 16000, "C"), ("train/2.wav", 32000, "D"));
        var list = Path.Combine(dir, "list.csv");
        File.WriteAllText(list, "path,seconds\ntrain/1.wav,1\ntrain/2.wav,2\n");
        var output = Path.Combine(dir, "subset");
        var tsv = ManifestFiles.TsvPath(folder, "train");

        var ok = Reliability.Cli.Run("data", "pool", "--utterances", list, "--out", output, "--split", "small", tsv);
        Assert.Equal(0, ok.ExitCode);
        var written = ManifestFiles.Read(output, "small");
        Assert.Equal(["C", "D"], written.Entries.Select(e => e.Words));
        var source = ManifestFiles.Read(folder, "train");
        Assert.Equal(source.Entries.Skip(1).Select(source.FullPath).Select(Path.GetFullPath), written.Entries.Select(written.FullPath).Select(Path.GetFullPath));

        File.AppendAllText(list, "train/9.wav,1\n");
        var bad = Reliability.Cli.Run("data", "pool", "--utterances", list, "--out", output, tsv);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("train/9.wav", bad.Stderr.Split('\n')[0]);
        Assert.Contains(tsv, bad.Stderr.Split('\n')[0]);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }
}
