using System.Diagnostics;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Data;
using Wav2Vec.IO;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Reliability;

/// <summary>Files that are not what their name says: each is an error naming the file, never a hang or a silent result.</summary>
public sealed class UntrustedAudioTests : IDisposable
{
    readonly string dir = TestAudio.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Mp3Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-44k1-stereo.mp3");

    string Fifo(string name)
    {
        var path = Path.Combine(dir, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>Runs <paramref name="action"/> on another thread and fails instead of hanging when it blocks.</summary>
    static T WithoutHanging<T>(Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(TimeSpan.FromMinutes(2)), "blocked: the file was opened before its type was checked");
        return task.Result;
    }

    [Fact]
    public void AFifoNamedWavIsRefusedWithoutOpeningIt()
    {
        var path = Fifo("pipe.wav");
        Assert.Equal(FileKind.Fifo, FileKinds.Of(path));
        var e = WithoutHanging(() => Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path)));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("FIFO", e.Message);
    }

    [Fact]
    public void AFifoInAFolderIsSkippedByTheManifestBuilderInsteadOfHangingIt()
    {
        Fifo("a.wav");
        TestAudio.WriteWav(Path.Combine(dir, "b.wav"), TestAudio.Sine(440, 1, 16_000), 16_000, 1, 16);
        var result = WithoutHanging(() => ManifestBuilder.FromFolder(dir, policy: BadAudioPolicy.Skip));
        Assert.Equal(["b.wav"], result.Manifest.Entries.Select(e => e.Path));
        Assert.Contains("a.wav", result.Skipped.Skipped.Single().FilePath);
    }

    [Fact]
    public void ADirectoryNamedWavIsADirectoryNotAMissingFile()
    {
        var path = Directory.CreateDirectory(Path.Combine(dir, "x.wav")).FullName;
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Contains("directory", e.Message);
        Assert.DoesNotContain("not found", e.Message);
        Assert.NotEqual(AudioProblem.Missing, e.Problem);
    }

    [Fact]
    public void TwelveBitPcmIsAnUnsupportedFormatNamingTheFile()
    {
        var path = Path.Combine(dir, "pcm12.wav");
        var data = new byte[3200];
        byte[] format = [1, 0, 1, 0, .. BitConverter.GetBytes(16_000), .. BitConverter.GetBytes(32_000), 2, 0, 12, 0];
        File.WriteAllBytes(path, [.. "RIFF"u8, .. BitConverter.GetBytes(36 + data.Length), .. "WAVEfmt "u8, 16, 0, 0, 0, .. format,
            .. "data"u8, .. BitConverter.GetBytes(data.Length), .. data]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.UnsupportedFormat, e.Problem);
        Assert.StartsWith(path, e.Message);
        Assert.Contains("12 bits", e.Message);
    }

    [Theory]
    [InlineData(3000)] // mid-frame: the last frame's declared length runs past the end
    [InlineData(2880)] // on a frame boundary: the LAME Info header declares more frames
    public void ATruncatedMp3IsReportedAsTruncated(int keep)
    {
        var path = Path.Combine(dir, "cut.mp3");
        File.WriteAllBytes(path, File.ReadAllBytes(Mp3Fixture)[..keep]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.Truncated, e.Problem);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void AnMp3ThatIsMostlyGarbageIsCorruptNotDecodedToNoise()
    {
        var path = Path.Combine(dir, "noise.mp3");
        var random = new Random(3);
        var garbage = new byte[5000];
        random.NextBytes(garbage);
        File.WriteAllBytes(path, [0xFF, 0xFB, 0x90, 0x00, .. garbage]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.CorruptHeader, e.Problem);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void EvaluationReportsEachUnscorableUtteranceAndScoresTheRest()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var good = Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav"));
        var failures = new List<EvaluationFailure>();
        var result = Evaluation.RunEach(recognizer,
            [
                ("ok", () => good, "the quick brown fox"),
                ("digits", () => good, "room 42"),
                ("missing", () => AudioDecoder.Decode(Path.Combine(dir, "gone.wav")), "hello"),
                ("short", () => new float[100], "hello"),
                ("ok2", () => good, "jumps over"),
            ],
            TranscriptNormalizer.English, DecodingOptions.Greedy, failures.Add);
        Assert.Equal(["ok", "ok2"], result.Utterances.Select(u => u.Id));
        Assert.Equal(["digits", "missing", "short"], failures.Select(f => f.Id));
        Assert.Contains("'4', '2'", failures[0].Error.Message);
        Assert.Contains("gone.wav", failures[1].Error.Message);
        Assert.Contains("receptive field", failures[2].Error.Message);
        Assert.Equal(6, result.Words.ReferenceLength);
    }
}
