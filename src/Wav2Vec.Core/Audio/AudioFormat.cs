namespace Wav2Vec.Audio;

/// <summary>Container formats recognised from a file's first bytes.</summary>
public enum AudioFormat { Wav, Mp3, Flac, Ogg, G722, Unknown }

/// <summary>Recognises a file's format from its magic bytes, falling back to its extension.</summary>
public static class AudioFormats
{
    /// <summary>File extensions <see cref="AudioDecoder"/> reads.</summary>
    public static readonly IReadOnlyList<string> Readable = [".wav", ".mp3", ".ogg", ".oga", ".g722"];

    /// <summary>File extensions a folder scan treats as audio (the unreadable ones get a clear error, not silence).</summary>
    public static readonly IReadOnlyList<string> Recognised = [".wav", ".mp3", ".flac", ".ogg", ".opus", ".oga", ".g722"];

    /// <summary>What to do with a file in a format that cannot be read here.</summary>
    public const string ConvertHint =
        "convert it to WAV first, e.g. `sox in.flac -r 16000 -c 1 -b 16 out.wav` or `ffmpeg -i in.opus -ar 16000 -ac 1 out.wav` " +
        "(no served .NET package decodes FLAC or Opus; WAV, MP3, Ogg Vorbis and raw G.722 are supported)";

    /// <summary>
    /// Detects the format from the header bytes, using the extension only when the bytes say nothing (raw G.722, as
    /// Asterisk stores its prompts, has no header: only its <c>.g722</c> extension tells).
    /// </summary>
    public static AudioFormat Detect(ReadOnlySpan<byte> header, string path)
    {
        if (header.StartsWith("RIFF"u8) || header.StartsWith("RIFX"u8) || header.StartsWith("RF64"u8)) return AudioFormat.Wav;
        if (header.StartsWith("fLaC"u8)) return AudioFormat.Flac;
        if (header.StartsWith("OggS"u8)) return AudioFormat.Ogg;
        if (header.StartsWith("ID3"u8) || (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0)) return AudioFormat.Mp3;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".wav" => AudioFormat.Wav,
            ".mp3" => AudioFormat.Mp3,
            ".flac" => AudioFormat.Flac,
            ".ogg" or ".opus" or ".oga" => AudioFormat.Ogg,
            ".g722" => AudioFormat.G722,
            _ => AudioFormat.Unknown,
        };
    }
}
