using NAudio.Wave;

namespace Wav2Vec.Audio;

/// <summary>Writes mono float audio <c>[samples]</c> as 16-bit PCM WAV, the format of the synthesised corpus.</summary>
public static class WavWriter
{
    /// <summary>Writes <paramref name="samples"/> (clipped to [-1, 1]) at <paramref name="sampleRate"/> Hz, 16-bit mono.</summary>
    public static void WriteMono16(string path, ReadOnlySpan<float> samples, int sampleRate = 16_000)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
            bytes[2 * i] = (byte)v;
            bytes[2 * i + 1] = (byte)(v >> 8);
        }
        using var writer = new WaveFileWriter(path, new WaveFormat(sampleRate, 16, 1));
        writer.Write(bytes, 0, bytes.Length);
    }
}
