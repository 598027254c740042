using NAudio.Wave;

namespace Wav2Vec.IO;

/// <summary>
/// Reads 16 kHz mono 16-bit PCM WAV files as floats (sample / 32768), the input convention of the parity fixtures.
/// The audio pipeline has the general decoder; this is the small, exact path for one file.
/// </summary>
public static class Pcm16Wave
{
    /// <summary>The samples of <paramref name="path"/>; any other format is an error naming the file and what it holds.</summary>
    public static float[] Read(string path)
    {
        using var reader = new WaveFileReader(path);
        var f = reader.WaveFormat;
        if (f.Encoding != WaveFormatEncoding.Pcm || f.BitsPerSample != 16 || f.Channels != 1 || f.SampleRate != 16000)
            throw new InvalidDataException(
                $"{path}: expected 16 kHz mono 16-bit PCM, found {f.SampleRate} Hz, {f.Channels} channel(s), {f.BitsPerSample}-bit {f.Encoding}.");
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        var samples = new float[read / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BitConverter.ToInt16(bytes, 2 * i) / 32768f;
        return samples;
    }
}
