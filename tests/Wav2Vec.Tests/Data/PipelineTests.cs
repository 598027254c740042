using System.Reactive.Linq;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Data;

public class PipelineTests
{
    readonly string dir = TestAudio.TempDir();

    static AudioUtterance Item(string id, int length, string? transcript = null) =>
        new(new Utterance(id, "/nowhere/" + id + ".wav", length, transcript), [.. Enumerable.Range(1, length).Select(i => (float)i)]);

    /// <summary>A manifest of <paramref name="count"/> entries cycling over a few tone files of different lengths.</summary>
    Manifest ToneManifest(int count, int files = 8)
    {
        var entries = Enumerable.Range(0, files).Select(i =>
        {
            var seconds = 0.1 + 0.05 * i;
            var path = TestAudio.WriteWav(Path.Combine(dir, $"tone{i}.wav"), TestAudio.Sine(200 + 50 * i, seconds, 16_000), 16_000, 1, 16);
            return new ManifestEntry(Path.GetFileName(path), (long)(seconds * 16_000), "A|TONE", "A TONE");
        }).ToArray();
        return new Manifest(dir, [.. Enumerable.Range(0, count).Select(i => entries[i % files])]);
    }

    [Fact]
    public void CropToShortestCutsEveryItemToTheShortestAtSeededRandomOffsets()
    {
        TorchRuntime.Initialize();
        var batch = new[] { Item("a", 100), Item("b", 40), Item("c", 70) };
        var c = Collate.CropToShortest(batch, new Random(3));
        Assert.Equal(40, c.Samples);
        using (var tensors = Batch.FromCollated(c)) Assert.False(tensors.IsPadded);
        Assert.Equal([40, 40, 40], c.Lengths);
        for (var b = 0; b < 3; b++)
        {
            var row = c.Audio[(b * 40)..((b + 1) * 40)];
            Assert.Equal(Enumerable.Range((int)row[0], 40).Select(v => (float)v), row);
        }
        Assert.Equal(c.Audio, Collate.CropToShortest(batch, new Random(3)).Audio);
        Assert.True(Enumerable.Range(0, 20).Select(s => Collate.CropToShortest(batch, new Random(s)).Audio[0]).Distinct().Count() > 1);
        Assert.Equal(25, Collate.CropToShortest(batch, new Random(3), maxSampleSize: 25).Samples);
    }

    [Fact]
    public void PaddingKeepsLengthsAndPadsTargetsWithThePadId()
    {
        TorchRuntime.Initialize();
        var encoder = new Letters(ch => ch == ' ' ? 4 : ch - 'A' + 5);
        var c = Collate.Pad([Item("a", 3, "AB"), Item("b", 5, "C D")], encoder);
        using var batch = Batch.FromCollated(c);
        Assert.Equal([2L, 5L], batch.Audio.shape);
        Assert.Equal([3L, 5L], batch.Lengths);
        Assert.True(batch.IsPadded);
        Assert.Equal([1f, 2f, 3f, 0f, 0f, 1f, 2f, 3f, 4f, 5f], batch.Audio.data<float>().ToArray());
        Assert.Equal([5L, 6L, 0L, 7L, 4L, 8L], batch.Targets!.data<long>().ToArray());
        Assert.Equal([2L, 3L], batch.TargetLengths!.data<long>().ToArray());
        Assert.Equal(["a", "b"], batch.Ids);
    }

    [Fact]
    public void StandardisingGivesEachUtteranceZeroMeanAndUnitVarianceOnlyWhenAsked()
    {
        var items = new[] { Item("a", 50), Item("b", 7) };
        var standardised = items.ToObservable().Standardize().ToList().Wait();
        Assert.All(standardised, u =>
        {
            var mean = u.Samples.Average(x => (double)x);
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, u.Samples.Average(x => (x - mean) * (x - mean)), 4);
        });
        Assert.Same(items[0].Samples, items.ToObservable().Standardize(enabled: false).ToList().Wait()[0].Samples);
    }

    [Fact]
    public void LabelledBatchWithoutTranscriptNamesTheUtterance()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Collate.Pad([Item("spk/7", 3)], new Letters(ch => ch)));
        Assert.Contains("spk/7", e.Message);
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public bool BatchesRespectTheSampleBudgetAndEmitEveryItemOnce(byte[] lengths, byte window)
    {
        var items = lengths.Select((l, i) => Item($"u{i}", 1 + l)).ToArray();
        var batches = items.ToObservable().BatchBySize(maxSamples: 600, bucketWindow: 1 + window % 40, seed: 5).ToList().Wait();
        return batches.SelectMany(b => b).Select(u => u.Utterance.Id).Order().SequenceEqual(items.Select(u => u.Utterance.Id).Order())
            && batches.All(b => b.Count == 1 || b.Count * b.Max(u => u.Length) <= 600);
    }

    [Fact]
    public void BucketingGroupsSimilarLengths()
    {
        var items = Enumerable.Range(0, 64).Select(i => Item($"u{i}", i % 2 == 0 ? 10 + i : 500 + i)).ToArray();
        var batches = items.ToObservable().BatchBySize(2_000, bucketWindow: 64).ToList().Wait();
        Assert.All(batches, b => Assert.True(b.All(u => u.Length < 100) || b.All(u => u.Length >= 500)));
    }

    [Fact]
    public void ManifestShuffleIsASeededPermutation()
    {
        var manifest = new Manifest("/r", [.. Enumerable.Range(0, 50).Select(i => new ManifestEntry($"{i}.wav", 10))]);
        var a = manifest.Utterances(shuffleSeed: 1).Select(u => u.Id).ToList().Wait();
        Assert.Equal(a, manifest.Utterances(shuffleSeed: 1).Select(u => u.Id).ToList().Wait());
        Assert.NotEqual(a, manifest.Utterances(shuffleSeed: 2).Select(u => u.Id).ToList().Wait());
        Assert.NotEqual(a, manifest.Utterances().Select(u => u.Id).ToList().Wait());
        Assert.Equal(manifest.Entries.Select(e => e.Id).Order(), a.Order());
    }

    [Fact]
    public void BadAudioFailsTheStreamNamingTheFileOrIsSkippedAndCounted()
    {
        var good = TestAudio.WriteWav(Path.Combine(dir, "good.wav"), TestAudio.Sine(300, 0.1, 16_000), 16_000, 1, 16);
        File.WriteAllBytes(Path.Combine(dir, "bad.wav"), [.. "RIFF"u8, 1, 2]);
        var manifest = new Manifest(dir, [new("good.wav", 1600), new("bad.wav", 1600), new("good.wav", 1600)]);
        var e = Assert.Throws<AudioDecodeException>(() => manifest.Utterances().Decode().ToList().Wait());
        Assert.Contains("bad.wav", e.Message);
        var report = new SkipReport();
        var decoded = manifest.Utterances().Decode(policy: BadAudioPolicy.Skip, skipped: report).ToList().Wait();
        Assert.Equal(2, decoded.Count);
        Assert.Equal(1, report.Count);
        Assert.Contains("bad.wav", report.Describe());
        Assert.True(File.Exists(good));
    }

    [Fact]
    public void TakingAFewUtterancesStopsTheSourceWithoutReadingTheRest()
    {
        var manifest = new Manifest("/r", [.. Enumerable.Range(0, 1000).Select(i => new ManifestEntry($"{i}.wav", 10))]);
        var pulled = 0;
        var taken = manifest.Utterances().Do(_ => pulled++).Take(3).ToList().Wait();
        Assert.Equal(3, taken.Count);
        Assert.InRange(pulled, 3, 4);
    }

    [Fact]
    public void TakingAFewBatchesStopsDecodingAndBucketing()
    {
        var manifest = ToneManifest(1000, files: 2);
        var pulled = 0;
        var batches = manifest.Utterances().Do(_ => pulled++).Decode().BatchBySize(100_000, bucketWindow: 16).Take(1).ToList().Wait();
        Assert.Single(batches);
        Assert.InRange(pulled, 16, 16 + 1);
    }

    /// <summary>Labels one id per character of the transcript, padded with 0.</summary>
    internal sealed class Letters(Func<char, int> id) : ILabelEncoder
    {
        public int PadId => 0;

        public int[] Encode(string transcript, string utteranceId) => [.. transcript.Select(id)];
    }
}
