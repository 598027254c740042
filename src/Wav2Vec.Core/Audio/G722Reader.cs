using NAudio.Codecs;

namespace Wav2Vec.Audio;

/// <summary>
/// Reads raw G.722 at 64 kbit/s (ITU-T G.722 mode 1, no header), the wideband format Asterisk ships its prompts in:
/// each byte holds two 16 kHz samples of a 7 kHz band. Having no header, it cannot reveal corruption or truncation;
/// only an empty file is caught (by <see cref="AudioDecoder"/>).
/// </summary>
static class G722Reader
{
    /// <summary>The fixed sample rate of G.722.</summary>
    public const int SampleRate = 16_000;

    /// <summary>Decodes the whole stream to mono samples at 16 kHz.</summary>
    public static (float[] Interleaved, int Channels, int Rate) Read(Stream stream, string path, DecodeOptions options)
    {
        AudioDecoder.CheckDuration(path, stream.Length * 2.0 / SampleRate, options);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var pcm = new short[bytes.Length * 2];
        var decoded = new G722Codec().Decode(new G722CodecState(64_000, G722Flags.None), pcm, bytes, bytes.Length);
        var samples = new float[decoded];
        for (var i = 0; i < decoded; i++) samples[i] = pcm[i] / 32768f;
        return (samples, 1, SampleRate);
    }
}
