using NVorbis;

namespace Wav2Vec.Audio;

/// <summary>
/// Reads Ogg Vorbis with NVorbis after <see cref="OggPages"/> has checked every page, so a cut or damaged file is an
/// <see cref="AudioDecodeException"/> rather than a shorter utterance. Other Ogg codecs are named and refused.
/// </summary>
static class OggVorbisReader
{
    /// <summary>Decodes the whole stream to interleaved samples.</summary>
    public static (float[] Interleaved, int Channels, int Rate) Read(Stream stream, string path, DecodeOptions options)
    {
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        CheckCodec(bytes, path);
        OggPages.Check(bytes, path);
        VorbisReader reader;
        try
        {
            reader = new VorbisReader(new MemoryStream(bytes, writable: false), closeOnDispose: true);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"corrupt Ogg Vorbis headers ({e.Message})", e);
        }
        using (reader)
        {
            if (reader.SampleRate <= 0 || reader.Channels <= 0)
                throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"Ogg Vorbis header declares {reader.SampleRate} Hz and {reader.Channels} channels");
            AudioDecoder.CheckDuration(path, reader.TotalTime.TotalSeconds, options);
            var samples = new List<float>();
            var chunk = new float[1 << 15];
            int read;
            try
            {
                while ((read = reader.ReadSamples(chunk, 0, chunk.Length)) > 0)
                    samples.AddRange(chunk.AsSpan(0, read));
            }
            catch (Exception e) when (IsDecoderFailure(e))
            {
                throw new AudioDecodeException(path, AudioProblem.CorruptData,
                    $"corrupt Ogg Vorbis audio after {samples.Count / reader.Channels} frames ({e.Message})", e);
            }
            return ([.. samples], reader.Channels, reader.SampleRate);
        }
    }

    /// <summary>Refuses Ogg streams whose first packet is not a Vorbis identification header, naming the codec found.</summary>
    static void CheckCodec(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < 28 || file.Length < 27 + file[26]) return;
        var packet = file[(27 + file[26])..];
        if (packet.StartsWith("\u0001vorbis"u8)) return;
        var codec = packet.StartsWith("OpusHead"u8) ? "Opus" : packet.StartsWith("\u007FFLAC"u8) ? "FLAC" : packet.StartsWith("Speex"u8) ? "Speex" : null;
        throw new AudioDecodeException(path, AudioProblem.UnsupportedFormat,
            $"{(codec is null ? "an Ogg stream that is not Vorbis" : "Ogg " + codec)} is not supported (Ogg Vorbis is): {AudioFormats.ConvertHint}");
    }

    static bool IsDecoderFailure(Exception e) =>
        e is ArgumentException or InvalidDataException or EndOfStreamException or IndexOutOfRangeException or NotSupportedException or InvalidOperationException;
}
