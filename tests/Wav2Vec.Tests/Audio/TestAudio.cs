using NAudio.Wave;
using Wav2Vec.Audio;

namespace Wav2Vec.Tests.Audio;

/// <summary>Writes test audio files in-test, in any WAV encoding, and measures simple signal properties.</summary>
static class TestAudio
{
    /// <summary>A sine <c>[seconds·rate]</c> of the given frequency and amplitude.</summary>
    public static float[] Sine(double hz, double seconds, int rate, float amplitude = 0.5f) =>
        [.. Enumerable.Range(0, (int)(seconds * rate)).Select(i => amplitude * (float)Math.Sin(2 * Math.PI * hz * i / rate))];

    /// <summary>Writes interleaved samples as WAV: PCM at 8/16/24/32 bits, or IEEE float when <paramref name="ieeeFloat"/>.</summary>
    public static string WriteWav(string path, float[] interleaved, int rate, int channels, int bits, bool ieeeFloat = false)
    {
        var format = ieeeFloat ? WaveFormat.CreateIeeeFloatWaveFormat(rate, channels) : new WaveFormat(rate, bits, channels);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            foreach (var s in interleaved)
            {
                if (ieeeFloat) { w.Write(s); continue; }
                switch (bits)
                {
                    case 8: w.Write((byte)Math.Clamp(Math.Round(s * 127 + 128), 0, 255)); break;
                    case 16: w.Write((short)Math.Round(s * short.MaxValue)); break;
                    case 24:
                        var v = (int)Math.Round(s * 8_388_607);
                        w.Write((byte)v); w.Write((byte)(v >> 8)); w.Write((byte)(v >> 16)); break;
                    case 32: w.Write((int)Math.Round(s * (double)int.MaxValue)); break;
                }
            }
        using var writer = new WaveFileWriter(path, format);
        writer.Write(stream.ToArray(), 0, (int)stream.Length);
        return path;
    }

    /// <summary>Frequency estimated from zero crossings (sign changes) of a steady sine.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<float> x, int rate)
    {
        var crossings = 0;
        for (var i = 1; i < x.Length; i++)
            if ((x[i - 1] < 0) != (x[i] < 0)) crossings++;
        return crossings / 2.0 / (x.Length / (double)rate);
    }

    /// <summary>The largest absolute sample.</summary>
    public static float Peak(ReadOnlySpan<float> x)
    {
        var peak = 0f;
        foreach (var s in x) peak = Math.Max(peak, Math.Abs(s));
        return peak;
    }

    /// <summary>Asserts that decoding fails with <paramref name="problem"/> and a message containing <paramref name="expected"/>.</summary>
    public static AudioDecodeException AssertDecodeFails(string path, AudioProblem problem, string expected, DecodeOptions? options = null)
    {
        var e = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path, options));
        Assert.Equal(problem, e.Problem);
        Assert.Contains(expected, e.Message);
        return e;
    }

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wav2vec-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
