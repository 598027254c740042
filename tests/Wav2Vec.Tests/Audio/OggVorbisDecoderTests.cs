using Wav2Vec.Audio;

namespace Wav2Vec.Tests.Audio;

public class OggVorbisDecoderTests
{
    readonly string dir = TestAudio.TempDir();

    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", name);

    /// <summary>
    /// A copy of the mono Ogg fixture (pages at bytes 0–57: headers, 58–3451 and 3452–4158: audio), changed by
    /// <paramref name="damage"/>.
    /// </summary>
    string Damaged(string name, Func<byte[], byte[]> damage)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, damage(File.ReadAllBytes(Fixture("sine-1khz-22k05-mono.ogg"))));
        return path;
    }

    [Theory]
    [InlineData("sine-1khz-22k05-mono.ogg")]
    [InlineData("sine-1khz-44k1-stereo.ogg")]
    public void OggVorbisDecodesToMono16KHzWithItsFrequencyAndLevel(string name)
    {
        var decoded = AudioDecoder.Decode(Fixture(name));
        Assert.InRange(decoded.Length, 7_990, 8_010);
        var steady = decoded.AsSpan(1_000, 6_000);
        Assert.InRange(TestAudio.ZeroCrossingFrequency(steady, 16_000), 995, 1005);
        Assert.InRange(TestAudio.Peak(steady), 0.45f, 0.55f);
    }

    [Fact]
    public void OggOpusIsNamedAsUnsupportedWithAConversionHint() =>
        Assert.Contains("ffmpeg", TestAudio.AssertDecodeFails(Fixture("sine-1khz-mono.opus"), AudioProblem.UnsupportedFormat,
            "sine-1khz-mono.opus: Ogg Opus is not supported").Message);

    [Fact]
    public void AFileCutInsideAPageIsTruncated() =>
        TestAudio.AssertDecodeFails(Damaged("cut.ogg", b => b[..2_000]), AudioProblem.Truncated, "cut.ogg: truncated: Ogg page 1 at byte 58");

    [Fact]
    public void AFileCutBetweenPagesIsTruncatedNotSilentlyShorter() =>
        TestAudio.AssertDecodeFails(Damaged("short.ogg", b => b[..3_452]), AudioProblem.Truncated,
            "short.ogg: truncated: the Ogg stream has no end-of-stream page after its 2 page(s)");

    [Fact]
    public void ADamagedAudioPageFailsItsChecksum() =>
        TestAudio.AssertDecodeFails(Damaged("damaged.ogg", b => { b[1_500] ^= 0x5A; return b; }), AudioProblem.CorruptData,
            "damaged.ogg: corrupt Ogg: page 1 at byte 58 fails its checksum");

    [Fact]
    public void GarbageAfterTheLastPageIsCorrupt() =>
        TestAudio.AssertDecodeFails(Damaged("trailing.ogg", b => [.. b, .. "not an ogg page, just trailing text"u8]), AudioProblem.CorruptData,
            "trailing.ogg: corrupt Ogg: no page header at byte 4159 (page 3)");

    [Fact]
    public void EmptyOggFilesAreReported() =>
        TestAudio.AssertDecodeFails(Damaged("empty.ogg", _ => []), AudioProblem.Empty, "empty.ogg");

    [Fact]
    public void OggOverTheMaximumDurationIsReported() =>
        TestAudio.AssertDecodeFails(Fixture("sine-1khz-22k05-mono.ogg"), AudioProblem.TooLong,
            "0.5 s is longer than the maximum of 0.3 s", new DecodeOptions(MaxSeconds: 0.3));
}
