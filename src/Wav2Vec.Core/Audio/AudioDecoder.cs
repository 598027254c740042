using NAudio.Wave;
using NLayer;
using Wav2Vec.IO;

namespace Wav2Vec.Audio;

/// <summary>
/// Decodes WAV (PCM 8/16/24/32-bit, IEEE float, any channel count and rate) and raw G.722 with NAudio.Core, MP3 with
/// NLayer and Ogg Vorbis with NVorbis to mono float samples <c>[samples]</c> in [-1, 1] at <see cref="DecodeOptions.SampleRate"/>.
/// Every failure is an <see cref="AudioDecodeException"/> naming the file and the <see cref="AudioProblem"/>.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Decodes a file. Thread-safe; holds the file open only while reading it.</summary>
    /// <exception cref="AudioDecodeException">The file is missing, unsupported, corrupt, truncated, empty, non-finite or too long.</exception>
    public static float[] Decode(string path, DecodeOptions? options = null)
    {
        if (FileKinds.Of(path) is var kind and not FileKind.Regular)
            throw new AudioDecodeException(path, kind == FileKind.Missing ? AudioProblem.Missing : AudioProblem.UnsupportedFormat,
                kind == FileKind.Missing ? "file not found" : $"is {FileKinds.Describe(kind)}, not an audio file");
        using var stream = Open(path);
        return Decode(stream, path, options);
    }

    /// <summary>
    /// Decodes audio held in a seekable stream, such as a member of an archive read into memory. <paramref name="path"/>
    /// names where it came from in errors (<c>…/base.wz!/audio/tutorial/tut1.ogg</c>); its extension tells raw G.722 from the rest.
    /// </summary>
    /// <exception cref="AudioDecodeException">The audio is unsupported, corrupt, truncated, empty, non-finite or too long.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    public static float[] Decode(Stream stream, string path, DecodeOptions? options = null)
    {
        if (!stream.CanSeek) throw new ArgumentException($"{path}: decoding needs a seekable stream", nameof(stream));
        options ??= DecodeOptions.Default;
        if (stream.Length == 0) throw new AudioDecodeException(path, AudioProblem.Empty, "file is empty (0 bytes)");
        Span<byte> header = stackalloc byte[12];
        header = header[..stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false)];
        stream.Position = 0;
        var (interleaved, channels, rate) = AudioFormats.Detect(header, path) switch
        {
            AudioFormat.Wav => ReadWav(stream, path, options),
            AudioFormat.Mp3 => ReadMp3(stream, path, options),
            AudioFormat.Flac => throw new AudioDecodeException(path, AudioProblem.UnsupportedFormat, $"FLAC is not supported: {AudioFormats.ConvertHint}"),
            AudioFormat.Ogg => OggVorbisReader.Read(stream, path, options),
            AudioFormat.G722 => G722Reader.Read(stream, path, options),
            _ => throw new AudioDecodeException(path, AudioProblem.UnsupportedFormat, $"unrecognised audio format (extension '{Path.GetExtension(path)}'): {AudioFormats.ConvertHint}"),
        };
        if (interleaved.Length < channels)
            throw new AudioDecodeException(path, AudioProblem.Empty, "no audio samples (zero-length audio)");
        var mono = Resampling.ToMono(interleaved, channels);
        CheckFinite(mono, path, rate);
        CheckDuration(path, mono.Length / (double)rate, options);
        var samples = Resampling.Resample(mono, rate, options.SampleRate);
        if (samples.Length < options.MinSamples)
            throw new AudioDecodeException(path, AudioProblem.TooShort,
                $"{samples.Length} samples ({samples.Length * 1000.0 / options.SampleRate:0.#} ms) is shorter than the model's receptive field of " +
                $"{options.MinSamples} samples ({options.MinSamples * 1000.0 / options.SampleRate:0.#} ms): too short for one frame");
        if (options.Normalize) Resampling.NormalizeInPlace(samples);
        return samples;
    }

    static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new AudioDecodeException(path, AudioProblem.Unreadable, $"cannot be read ({e.Message})", e);
        }
    }

    static (float[] Interleaved, int Channels, int Rate) ReadWav(Stream stream, string path, DecodeOptions options)
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(stream);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException or ArgumentException)
        {
            throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"corrupt or incomplete WAV header ({e.Message})", e);
        }
        using (reader)
        {
            var format = reader.WaveFormat;
            if (DeclaredDataBytes(stream) is { } declaredBytes && declaredBytes > reader.Length)
                throw new AudioDecodeException(path, AudioProblem.Truncated,
                    $"truncated: the WAV header declares {declaredBytes / format.BlockAlign} frames but the file holds only {reader.Length / format.BlockAlign}");
            if (format.SampleRate <= 0 || format.Channels <= 0)
                throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"WAV header declares {format.SampleRate} Hz and {format.Channels} channels");
            CheckDuration(path, reader.TotalTime.TotalSeconds, options);
            ISampleProvider samples;
            try
            {
                samples = reader.ToSampleProvider();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new AudioDecodeException(path, AudioProblem.UnsupportedFormat,
                    $"WAV encoding {format.Encoding} at {format.BitsPerSample} bits is not supported (PCM 8/16/24/32-bit and IEEE float are)", e);
            }
            var declared = reader.Length / format.BlockAlign * format.Channels;
            var buffer = new float[declared];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = samples.Read(buffer.AsSpan(filled, Math.Min(buffer.Length - filled, 1 << 16)))) > 0)
                filled += read;
            if (filled < declared)
                throw new AudioDecodeException(path, AudioProblem.Truncated,
                    $"truncated: the WAV header declares {declared / format.Channels} frames but the file holds only {filled / format.Channels}");
            return (buffer, format.Channels, format.SampleRate);
        }
    }

    /// <summary>The size the <c>data</c> chunk header declares (NAudio silently clamps it to the file, hiding truncation).</summary>
    static long? DeclaredDataBytes(Stream stream)
    {
        var position = stream.Position;
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.ASCII, leaveOpen: true);
            stream.Position = 12;
            while (stream.Position + 8 <= stream.Length)
            {
                var id = new string(reader.ReadChars(4));
                var size = reader.ReadUInt32();
                if (id == "data") return size == uint.MaxValue ? null : size;
                stream.Position += size + (size & 1);
            }
            return null;
        }
        finally
        {
            stream.Position = position;
        }
    }

    static (float[] Interleaved, int Channels, int Rate) ReadMp3(Stream stream, string path, DecodeOptions options)
    {
        if (Mp3Frames.Check(stream) is { } bad) throw new AudioDecodeException(path, bad.Problem, bad.Detail);
        MpegFile mpeg;
        try
        {
            mpeg = new MpegFile(stream);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IndexOutOfRangeException)
        {
            throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"corrupt MP3: no decodable MPEG frame ({e.Message})", e);
        }
        using (mpeg)
        {
            if (mpeg.SampleRate <= 0 || mpeg.Channels <= 0)
                throw new AudioDecodeException(path, AudioProblem.CorruptHeader, "corrupt MP3: no decodable MPEG frame");
            var samples = new List<float>();
            var chunk = new float[1 << 15];
            int read;
            var limit = options.MaxSeconds is { } max ? (long)(max * mpeg.SampleRate * mpeg.Channels) + chunk.Length : long.MaxValue;
            try
            {
                while ((read = mpeg.ReadSamples(chunk, 0, chunk.Length)) > 0 && samples.Count <= limit)
                    samples.AddRange(chunk.AsSpan(0, read));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new AudioDecodeException(path, AudioProblem.CorruptHeader, $"corrupt MP3 frame data ({e.GetType().Name}: {e.Message})", e);
            }
            return ([.. samples], mpeg.Channels, mpeg.SampleRate);
        }
    }

    static void CheckFinite(float[] samples, string path, int rate)
    {
        for (var i = 0; i < samples.Length; i++)
            if (!float.IsFinite(samples[i]))
                throw new AudioDecodeException(path, AudioProblem.NonFiniteSamples, $"sample {i} (at {i / (double)rate:0.000} s) is {samples[i]}");
    }

    internal static void CheckDuration(string path, double seconds, DecodeOptions options)
    {
        if (options.MaxSeconds is { } max && seconds > max)
            throw new AudioDecodeException(path, AudioProblem.TooLong, $"{seconds:0.0} s is longer than the maximum of {max:0.0} s");
    }
}
