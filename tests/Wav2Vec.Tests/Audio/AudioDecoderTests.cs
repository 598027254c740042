using Wav2Vec.Audio;

namespace Wav2Vec.Tests.Audio;

public class AudioDecoderTests
{
    readonly string dir = TestAudio.TempDir();

    [Theory]
    [InlineData(8, false, 0.01)]
    [InlineData(16, false, 1e-4)]
    [InlineData(24, false, 1e-4)]
    [InlineData(32, false, 1e-4)]
    [InlineData(32, true, 1e-6)]
    public void EachWavEncodingDecodesToTheSamplesWritten(int bits, bool ieeeFloat, double tolerance)
    {
        var sine = TestAudio.Sine(440, 0.25, 16_000);
        var path = TestAudio.WriteWav(Path.Combine(dir, $"pcm{bits}{(ieeeFloat ? "f" : "")}.wav"), sine, 16_000, 1, bits, ieeeFloat);
        var decoded = AudioDecoder.Decode(path);
        Assert.Equal(sine.Length, decoded.Length);
        Assert.All(sine.Zip(decoded), p => Assert.InRange(p.Second - p.First, -tolerance, tolerance));
    }

    [Fact]
    public void MultichannelAudioIsAveragedToMono()
    {
        var frames = 1600;
        var interleaved = Enumerable.Range(0, frames * 3).Select(i => (i % 3) switch { 0 => 0.6f, 1 => -0.2f, _ => 0.2f }).ToArray();
        var decoded = AudioDecoder.Decode(TestAudio.WriteWav(Path.Combine(dir, "three.wav"), interleaved, 16_000, 3, 16));
        Assert.Equal(frames, decoded.Length);
        Assert.All(decoded, s => Assert.InRange(s, 0.1999f, 0.2001f));
    }

    [Fact]
    public void ResamplingFrom44100To16000KeepsA1KHzSine()
    {
        var path = TestAudio.WriteWav(Path.Combine(dir, "sine44.wav"), TestAudio.Sine(1000, 1.0, 44_100), 44_100, 1, 16);
        var decoded = AudioDecoder.Decode(path);
        Assert.InRange(decoded.Length, 15_900, 16_000);
        var steady = decoded.AsSpan(800, 14_000);
        Assert.InRange(TestAudio.ZeroCrossingFrequency(steady, 16_000), 995, 1005);
        Assert.InRange(TestAudio.Peak(steady), 0.47f, 0.53f);
    }

    [Fact]
    public void Mp3DecodesToMono16KHzWithItsFrequency()
    {
        var decoded = AudioDecoder.Decode(Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "sine-1khz-44k1-stereo.mp3"));
        Assert.InRange(decoded.Length, 7_900, 9_500);
        Assert.InRange(TestAudio.ZeroCrossingFrequency(decoded.AsSpan(2_000, 4_000), 16_000), 990, 1010);
    }

    [Theory]
    [InlineData("fLaC\0\0\0\"", "x.flac", "FLAC is not supported")]
    [InlineData("OggS\0\u0002\0\0", "x.ogg", "an Ogg stream that is not Vorbis is not supported")]
    [InlineData("FORM\0\0\0\0AIFF", "x.aiff", "unrecognised audio format")]
    public void UnsupportedFormatsSayHowToConvert(string header, string name, string expected)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, header + new string('\0', 64));
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.UnsupportedFormat, e.Problem);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("sox", e.Message);
    }

    [Fact]
    public void CorruptHeaderIsReportedWithTheFileName()
    {
        var path = Path.Combine(dir, "corrupt.wav");
        File.WriteAllBytes(path, [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WAVEjunk"u8, 1, 2, 3]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.CorruptHeader, e.Problem);
        Assert.Contains("corrupt.wav", e.Message);
    }

    [Fact]
    public void TruncatedDataIsReportedNotSilentlyShortened()
    {
        var path = TestAudio.WriteWav(Path.Combine(dir, "truncated.wav"), TestAudio.Sine(440, 0.5, 16_000), 16_000, 1, 16);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.Truncated, e.Problem);
        Assert.Contains("truncated.wav: truncated", e.Message);
    }

    [Fact]
    public void ZeroLengthAudioAndEmptyFilesAreReported()
    {
        var wav = TestAudio.WriteWav(Path.Combine(dir, "silent.wav"), [], 16_000, 1, 16);
        Assert.Equal(AudioProblem.Empty, Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(wav)).Problem);
        var empty = Path.Combine(dir, "empty.wav");
        File.WriteAllBytes(empty, []);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(empty));
        Assert.Equal(AudioProblem.Empty, e.Problem);
        Assert.Contains("empty.wav", e.Message);
    }

    [Fact]
    public void NaNAndInfiniteSamplesAreReportedWithTheirPosition()
    {
        var samples = TestAudio.Sine(440, 0.1, 16_000);
        samples[100] = float.NaN;
        var path = TestAudio.WriteWav(Path.Combine(dir, "nan.wav"), samples, 16_000, 1, 32, ieeeFloat: true);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));
        Assert.Equal(AudioProblem.NonFiniteSamples, e.Problem);
        Assert.Contains("sample 100", e.Message);
        samples[100] = float.PositiveInfinity;
        TestAudio.WriteWav(path, samples, 16_000, 1, 32, ieeeFloat: true);
        Assert.Equal(AudioProblem.NonFiniteSamples, Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path)).Problem);
    }

    [Fact]
    public void FilesOverTheMaximumDurationAreReported()
    {
        var path = TestAudio.WriteWav(Path.Combine(dir, "long.wav"), TestAudio.Sine(440, 2, 8_000), 8_000, 1, 16);
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path, new DecodeOptions(MaxSeconds: 1.5)));
        Assert.Equal(AudioProblem.TooLong, e.Problem);
        Assert.Contains("2.0 s is longer than the maximum of 1.5 s", e.Message);
        Assert.Equal(32_000, AudioDecoder.Decode(path, new DecodeOptions(MaxSeconds: 3)).Length);
    }

    [Fact]
    public void MissingFilesAreReported()
    {
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(Path.Combine(dir, "nope.wav")));
        Assert.Equal(AudioProblem.Missing, e.Problem);
    }

    [Fact]
    public void NormalisationGivesZeroMeanUnitVarianceOnlyWhenAskedFor()
    {
        var samples = TestAudio.Sine(440, 0.5, 16_000, 0.1f).Select(s => s + 0.3f).ToArray();
        var path = TestAudio.WriteWav(Path.Combine(dir, "offset.wav"), samples, 16_000, 1, 32, ieeeFloat: true);
        var raw = AudioDecoder.Decode(path);
        Assert.InRange(raw.Average(), 0.29, 0.31);
        var normalised = AudioDecoder.Decode(path, DecodeOptions.Default with { Normalize = true });
        var mean = normalised.Average();
        var variance = normalised.Select(s => (s - mean) * (s - mean)).Average();
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(variance, 0.99, 1.01);
    }

    [Fact]
    public void WavWriterRoundTripsThroughTheDecoder()
    {
        var sine = TestAudio.Sine(300, 0.2, 16_000);
        var path = Path.Combine(dir, "written.wav");
        WavWriter.WriteMono16(path, sine);
        var decoded = AudioDecoder.Decode(path);
        Assert.All(sine.Zip(decoded), p => Assert.InRange(p.Second - p.First, -1e-4, 1e-4));
    }
}
