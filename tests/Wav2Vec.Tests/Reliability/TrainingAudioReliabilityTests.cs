using System.Diagnostics;
using System.Reactive.Linq;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Tests.Experiments;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// Bad audio in a training corpus goes through the corpus's one policy (<c>corpus.badAudio</c>): skipped, counted and
/// named in <c>skipped.tsv</c>, or a clear error naming the file; dev files are checked before the first update.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class TrainingAudioReliabilityTests : IDisposable
{
    readonly string corpus = TinyCorpus.Create(count: 6, labelled: true);
    readonly List<string> messages = [];

    public void Dispose() => Directory.Delete(corpus, recursive: true);

    static string Mp3Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-44k1-stereo.mp3");

    /// <summary>Adds files to split <paramref name="split"/>, each with the manifest length given and a transcript.</summary>
    void Append(string split, params (string File, long ManifestSamples)[] files)
    {
        var manifest = ManifestFiles.Read(corpus, split);
        ManifestFiles.Write(corpus, split, manifest with
        {
            Entries = [.. manifest.Entries, .. files.Select(f => new ManifestEntry(f.File, f.ManifestSamples, "THE", "THE"))],
        });
    }

    /// <summary>One file of each kind of bad audio, by what is wrong with it; returns them with their manifest lengths.</summary>
    (string File, long ManifestSamples, AudioProblem Problem)[] BadFiles(string prefix)
    {
        var folder = Directory.CreateDirectory(Path.Combine(corpus, "bad")).FullName;
        WavWriter.WriteMono16(Path.Combine(folder, prefix + "short.wav"), TestAudio.Sine(300, 1, 16_000)[..300]);
        WavWriter.WriteMono16(Path.Combine(folder, prefix + "longer.wav"), TestAudio.Sine(300, 1.5, 16_000));
        var data = new byte[3200];
        byte[] format = [1, 0, 1, 0, .. BitConverter.GetBytes(16_000), .. BitConverter.GetBytes(32_000), 2, 0, 12, 0];
        File.WriteAllBytes(Path.Combine(folder, prefix + "pcm12.wav"), [.. "RIFF"u8, .. BitConverter.GetBytes(36 + data.Length), .. "WAVEfmt "u8, 16, 0, 0, 0,
            .. format, .. "data"u8, .. BitConverter.GetBytes(data.Length), .. data]);
        File.WriteAllBytes(Path.Combine(folder, prefix + "cut.mp3"), File.ReadAllBytes(Mp3Fixture)[..3000]);
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(folder, prefix + "pipe.wav")])) mkfifo.WaitForExit();
        return
        [
            ($"bad/{prefix}short.wav", 300, AudioProblem.TooShort),
            ($"bad/{prefix}longer.wav", 16_000, AudioProblem.LengthMismatch),
            ($"bad/{prefix}pcm12.wav", 1600, AudioProblem.UnsupportedFormat),
            ($"bad/{prefix}cut.mp3", 16_000, AudioProblem.Truncated),
            ($"bad/{prefix}pipe.wav", 16_000, AudioProblem.UnsupportedFormat),
        ];
    }

    PretrainExperiment Pretraining(string name, BadAudioPolicy policy) =>
        PretrainingRunTests.Micro(corpus, Path.Combine(corpus, "runs"), name) with
        {
            Corpus = new CorpusSpec { Folder = corpus, Dev = null, Test = null, BadAudio = policy },
            Output = new OutputSpec { Folder = Path.Combine(corpus, "runs"), CheckpointEvery = 2, KeepLast = 2 },
        };

    [Fact]
    public async Task BadTrainingAudioIsSkippedNamedOnceAndTheRunAndItsResumeFinish()
    {
        var bad = BadFiles("");
        Append("train", [.. bad.Select(b => (b.File, b.ManifestSamples))]);
        var experiment = Pretraining("skipping", BadAudioPolicy.Skip);
        var folder = Experiment.Folder(experiment);
        await Assert.ThrowsAsync<IOException>(async () =>
            await TrainingPipeline.Run(() => new CrashingSession(new Trainer(experiment, log: messages.Add), crashBefore: 4)).LogTo(folder).LastAsync());

        var resumed = await experiment.Run(resume: true, log: messages.Add).LogTo(folder).ToList();

        Assert.Equal([3L, 4, 5, 6], resumed.Select(r => r.Step));
        var skipped = SkippedAudioLog.Read(folder.SkippedAudio);
        Assert.Equal(bad.Select(b => (Path.Combine(corpus, b.File), b.Problem)).Order(), skipped.Select(s => (s.Path, s.Problem)).Order());
        Assert.All(skipped, s => Assert.Equal("train", s.Split));
        foreach (var (file, _, _) in bad)
            Assert.Single(messages, m => m.StartsWith($"skipped {Path.Combine(corpus, file)} (train): ", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Detail.Contains("receptive field of 400 samples"));
        Assert.Contains(skipped, s => s.Detail.Contains("the manifest gives 16000 samples"));
    }

    [Fact]
    public async Task WithBadAudioFailTheRunStopsAtTheFirstBadFileNamingIt()
    {
        var (file, samples, problem) = BadFiles("")[0];
        Append("train", (file, samples));

        var error = await Assert.ThrowsAsync<AudioDecodeException>(async () =>
            await Pretraining("failing", BadAudioPolicy.Fail).Run(log: messages.Add).LastAsync());

        Assert.Equal(Path.Combine(corpus, file), error.FilePath);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public async Task ABadDevFileIsFoundBeforeTheFirstUpdate()
    {
        var bad = BadFiles("dev-");
        Append("dev", [.. bad.Select(b => (b.File, b.ManifestSamples))]);
        var pretrained = FinetuneExperimentRunTests.MicroPretrained(corpus);
        var experiment = FinetuneExperimentRunTests.Micro(corpus, pretrained, "dev-check") with { Steps = 2 };

        var failing = experiment with { Name = "dev-fail", Corpus = experiment.Corpus with { BadAudio = BadAudioPolicy.Fail } };
        var error = Assert.Throws<AudioDecodeException>(() => new Trainer(failing, log: messages.Add));
        Assert.Equal(Path.Combine(corpus, bad[0].File), error.FilePath);

        var events = new List<string>();
        var reports = await experiment.Run(log: events.Add).Do(r => events.Add($"step {r.Step}")).ToList();

        Assert.Equal([1L, 2], reports.Select(r => r.Step));
        Assert.NotNull(reports[^1].Metric(MetricNames.Wer));
        var skipped = SkippedAudioLog.Read(Experiment.Folder(experiment).SkippedAudio);
        Assert.Equal(bad.Length, skipped.Count);
        Assert.All(skipped, s => Assert.Equal("dev", s.Split));
        Assert.True(events.FindLastIndex(e => e.StartsWith("skipped ", StringComparison.Ordinal)) < events.IndexOf("step 1"));
    }
}
