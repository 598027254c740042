using NAudio.Codecs;
using Wav2Vec.Audio;

namespace Wav2Vec.Tests.Audio;

public class G722DecoderTests
{
    readonly string dir = TestAudio.TempDir();

    /// <summary>Writes a sine as raw 64 kbit/s G.722 (Asterisk's <c>.g722</c> layout: no header, two samples a byte).</summary>
    string WriteG722(string name, double hz, double seconds)
    {
        var pcm = TestAudio.Sine(hz, seconds, 16_000).Select(s => (short)Math.Round(s * short.MaxValue)).ToArray();
        var bytes = new byte[pcm.Length / 2];
        var n = new G722Codec().Encode(new G722CodecState(64_000, G722Flags.None), bytes, pcm, pcm.Length);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes[..n]);
        return path;
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(5_000)]
    public void RawG722DecodesAt16KHzKeepingTonesAboveTheTelephoneBand(double hz)
    {
        var path = WriteG722($"tone{hz}.g722", hz, 0.5);
        var decoded = AudioDecoder.Decode(path);
        Assert.Equal(2 * new FileInfo(path).Length, decoded.Length);
        var steady = decoded.AsSpan(1_000, 6_000);
        Assert.InRange(TestAudio.ZeroCrossingFrequency(steady, 16_000), 0.99 * hz, 1.01 * hz);
        Assert.InRange(TestAudio.Peak(steady), 0.4f, 0.6f);
    }

    [Fact]
    public void EmptyG722FilesAreReported()
    {
        var path = Path.Combine(dir, "empty.g722");
        File.WriteAllBytes(path, []);
        TestAudio.AssertDecodeFails(path, AudioProblem.Empty, "empty.g722: file is empty");
    }
}
