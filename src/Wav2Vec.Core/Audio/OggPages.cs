using System.Buffers.Binary;

namespace Wav2Vec.Audio;

/// <summary>
/// Checks the page structure of an Ogg file (RFC 3533) before it is decoded. Decoders resynchronise past a damaged
/// page and stop quietly at a cut, which would give a silently shorter utterance; this walk finds both instead.
/// </summary>
public static class OggPages
{
    const int HeaderBytes = 27;
    const byte EndOfStream = 0x04;

    static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>
    /// Walks every page: each must start with <c>OggS</c>, fit in the file and pass its CRC, and every logical stream
    /// must end with a page marked end-of-stream.
    /// </summary>
    /// <exception cref="AudioDecodeException">Truncated (a page or a stream is cut short) or corrupt (a page fails its checksum or is missing).</exception>
    public static void Check(ReadOnlySpan<byte> file, string path)
    {
        var open = new HashSet<uint>();
        var offset = 0;
        var page = 0;
        while (offset < file.Length)
        {
            if (file.Length - offset < HeaderBytes)
                throw new AudioDecodeException(path, AudioProblem.Truncated, $"truncated: the file ends inside the header of Ogg page {page} (byte {offset})");
            var header = file[offset..];
            if (!header.StartsWith("OggS"u8) || header[4] != 0)
                throw new AudioDecodeException(path, AudioProblem.CorruptData, $"corrupt Ogg: no page header at byte {offset} (page {page})");
            var segments = header[26];
            if (header.Length < HeaderBytes + segments)
                throw new AudioDecodeException(path, AudioProblem.Truncated, $"truncated: the file ends inside the header of Ogg page {page} (byte {offset})");
            var body = 0;
            foreach (var lacing in header.Slice(HeaderBytes, segments)) body += lacing;
            var size = HeaderBytes + segments + body;
            if (header.Length < size)
                throw new AudioDecodeException(path, AudioProblem.Truncated,
                    $"truncated: Ogg page {page} at byte {offset} needs {size} bytes but the file holds only {header.Length} more");
            if (Crc(header[..size]) != BinaryPrimitives.ReadUInt32LittleEndian(header[22..]))
                throw new AudioDecodeException(path, AudioProblem.CorruptData, $"corrupt Ogg: page {page} at byte {offset} fails its checksum");
            var serial = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
            if ((header[5] & EndOfStream) != 0) open.Remove(serial);
            else open.Add(serial);
            offset += size;
            page++;
        }
        if (open.Count > 0)
            throw new AudioDecodeException(path, AudioProblem.Truncated,
                $"truncated: the Ogg stream has no end-of-stream page after its {page} page(s) (the file is cut short)");
    }

    /// <summary>The Ogg CRC-32 (polynomial 0x04C11DB7, not reflected, zero start) of a page with its CRC field taken as zero.</summary>
    static uint Crc(ReadOnlySpan<byte> page)
    {
        var crc = 0u;
        for (var i = 0; i < page.Length; i++)
        {
            var b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ CrcTable[(crc >> 24) ^ b];
        }
        return crc;
    }

    static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }
}
