namespace Wav2Vec.Audio;

/// <summary>
/// Walks the MPEG audio frame headers of an MP3 stream to tell whether the file was cut short or is mostly not MP3,
/// which NLayer does not report (it decodes what is there, and resynchronises over garbage). Truncated: the last
/// frame's declared length runs past the end of the data, or the LAME/Xing <c>Info</c> frame declares more audio
/// frames or bytes than the file holds. Corrupt: the chain of frames breaks before covering half of the data.
/// </summary>
static class Mp3Frames
{
    static readonly int[][] Kbps =
    [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], // MPEG-1 layer I
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],    // MPEG-1 layer II
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],     // MPEG-1 layer III
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],    // MPEG-2/2.5 layer I
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],         // MPEG-2/2.5 layers II, III
    ];

    static readonly int[] Rates = [44100, 48000, 32000];

    /// <summary>
    /// What is wrong with the seekable <paramref name="stream"/> (<see cref="AudioProblem.Truncated"/> or
    /// <see cref="AudioProblem.CorruptHeader"/> with the reason), or null when nothing is (or it cannot be judged, e.g.
    /// a free-format bitrate). Reads only frame headers and the first frame; leaves the stream at position 0.
    /// </summary>
    public static (AudioProblem Problem, string Detail)? Check(Stream stream)
    {
        try
        {
            long position = Id3v2Length(stream), end = DataEnd(stream);
            long frames = 0, declaredFrames = -1, declaredBytes = -1, first = -1;
            var header = new byte[4];
            while (position + 4 <= end)
            {
                stream.Position = position;
                stream.ReadExactly(header);
                if (FrameLength(header) is not { } length) break;
                if (position + length > end)
                    return (AudioProblem.Truncated, $"truncated: the MPEG frame at byte {position} needs {length} bytes, the file ends after {end - position}");
                if (first < 0)
                {
                    first = position;
                    var frame = new byte[length];
                    stream.Position = position;
                    stream.ReadExactly(frame);
                    (declaredFrames, declaredBytes) = InfoFrame(frame);
                    if (declaredFrames >= 0 || declaredBytes >= 0) frames--; // the Info frame carries no audio
                }
                frames++;
                position += length;
            }
            if (declaredFrames > frames)
                return (AudioProblem.Truncated, $"truncated: the MP3's Info header declares {declaredFrames} frames, the file holds {frames}");
            if (first >= 0 && declaredBytes > position - first)
                return (AudioProblem.Truncated, $"truncated: the MP3's Info header declares {declaredBytes} bytes, the file holds {position - first}");
            if (first >= 0 && 2 * (position - first) < end - first)
                return (AudioProblem.CorruptHeader, $"corrupt MP3: the MPEG frames end at byte {position}, but the data runs to byte {end}");
            return null;
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>Bytes of a frame from its 4-byte header, or null when the bytes are no (supported) frame header.</summary>
    static long? FrameLength(ReadOnlySpan<byte> h)
    {
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return null;
        int version = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3, bitrateIndex = h[2] >> 4, rateIndex = (h[2] >> 2) & 3, padding = (h[2] >> 1) & 1;
        if (version == 1 || layer == 0 || bitrateIndex is 0 or 15 || rateIndex == 3) return null;
        bool mpeg1 = version == 3;
        var table = mpeg1 ? 3 - layer : layer == 3 ? 3 : 4;
        long bitrate = Kbps[table][bitrateIndex] * 1000L;
        long rate = Rates[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        return layer switch
        {
            3 => (12 * bitrate / rate + padding) * 4,                  // layer I
            1 when !mpeg1 => 72 * bitrate / rate + padding,            // layer III, MPEG-2/2.5
            _ => 144 * bitrate / rate + padding,
        };
    }

    /// <summary>Frames and bytes a LAME/Xing header in <paramref name="frame"/> declares (−1 when absent).</summary>
    static (long Frames, long Bytes) InfoFrame(ReadOnlySpan<byte> frame)
    {
        bool mpeg1 = ((frame[1] >> 3) & 3) == 3, mono = (frame[3] >> 6) == 3;
        var offset = 4 + (mpeg1 ? mono ? 17 : 32 : mono ? 9 : 17);
        if (frame.Length < offset + 8) return (-1, -1);
        var tag = System.Text.Encoding.ASCII.GetString(frame.Slice(offset, 4));
        if (tag is not ("Xing" or "Info")) return (-1, -1);
        var flags = BigEndian(frame.Slice(offset + 4, 4));
        var at = offset + 8;
        long frames = -1, bytes = -1;
        if ((flags & 1) != 0 && frame.Length >= at + 4) { frames = BigEndian(frame.Slice(at, 4)); at += 4; }
        if ((flags & 2) != 0 && frame.Length >= at + 4) bytes = BigEndian(frame.Slice(at, 4));
        return (frames, bytes);
    }

    static uint BigEndian(ReadOnlySpan<byte> b) => (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);

    /// <summary>Bytes of a leading ID3v2 tag (0 when there is none).</summary>
    static long Id3v2Length(Stream stream)
    {
        var d = new byte[10];
        stream.Position = 0;
        if (stream.ReadAtLeast(d, 10, throwOnEndOfStream: false) < 10 || d[0] != 'I' || d[1] != 'D' || d[2] != '3') return 0;
        return 10 + ((d[6] & 0x7F) << 21 | (d[7] & 0x7F) << 14 | (d[8] & 0x7F) << 7 | (d[9] & 0x7F)) + ((d[5] & 0x10) != 0 ? 10 : 0);
    }

    /// <summary>End of the audio data: before a trailing ID3v1 tag (<c>TAG</c>, 128 bytes), if any.</summary>
    static long DataEnd(Stream stream)
    {
        if (stream.Length < 128) return stream.Length;
        var tag = new byte[3];
        stream.Position = stream.Length - 128;
        stream.ReadExactly(tag);
        return tag is [(byte)'T', (byte)'A', (byte)'G'] ? stream.Length - 128 : stream.Length;
    }
}
