using System.Net;
using NAudio.Wave;

namespace Wav2Vec.Plots;

/// <summary>
/// Sound to listen to in a notebook or report: a WAV file's bytes, shown as an HTML <c>&lt;audio&gt;</c> player
/// with the WAV inline as a base64 data URI, so it plays offline.
/// </summary>
/// <param name="Wav">A complete WAV file.</param>
/// <param name="Caption">Text under the player (an utterance id, a transcript).</param>
public sealed record AudioClip(byte[] Wav, string? Caption = null)
{
    /// <summary>A mono waveform as 16-bit PCM WAV (the format every browser plays), clipped to [-1, 1].</summary>
    /// <param name="samples">[samples] mono floats in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="caption">Text under the player.</param>
    public static AudioClip FromSamples(ReadOnlySpan<float> samples, int sampleRate, string? caption = null)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive.");
        var pcm = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BitConverter.TryWriteBytes(pcm.AsSpan(2 * i), (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue));
        using var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, new WaveFormat(sampleRate, 16, 1)))
            writer.Write(pcm, 0, pcm.Length);
        return new AudioClip(memory.ToArray(), caption);
    }

    /// <summary>A WAV file as it is on disk (no decoding: the browser plays what the file holds).</summary>
    public static AudioClip FromWavFile(string path, string? caption = null)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || bytes[0] != 'R' || bytes[1] != 'I' || bytes[2] != 'F' || bytes[3] != 'F' || bytes[8] != 'W' || bytes[9] != 'A')
            throw new InvalidDataException($"{path}: not a WAV file (no RIFF/WAVE header).");
        return new AudioClip(bytes, caption ?? Path.GetFileName(path));
    }

    /// <summary>An HTML player with the WAV inline, and the caption when there is one.</summary>
    public string ToHtml()
    {
        var caption = Caption is null ? "" : $"<figcaption>{WebUtility.HtmlEncode(Caption)}</figcaption>";
        return $"<figure style=\"margin:0.3em 0\"><audio controls preload=\"auto\" src=\"data:audio/wav;base64,{Convert.ToBase64String(Wav)}\"></audio>{caption}</figure>";
    }
}
