using System.IO.Compression;
using Wav2Vec.Audio;

namespace Wav2Vec.Corpus;

/// <summary>Decodes the audio of a <see cref="RecordedUtterance"/>: a file, or a member of a zip archive (a game's <c>.wz</c> or <c>.pk3</c>).</summary>
public static class RecordedAudio
{
    /// <summary>16 kHz mono samples <c>[samples]</c> of <paramref name="utterance"/>. Thread-safe: each call opens the archive itself.</summary>
    /// <exception cref="AudioDecodeException">The audio, the archive or its member is missing or cannot be decoded; the message names them.</exception>
    public static float[] Decode(RecordedUtterance utterance)
    {
        if (utterance.ArchiveEntry is not { } entryName) return AudioDecoder.Decode(utterance.AudioPath);
        var name = $"{utterance.AudioPath}!/{entryName}";
        try
        {
            using var archive = ZipFile.OpenRead(utterance.AudioPath);
            var entry = archive.GetEntry(entryName) ?? throw new AudioDecodeException(name, AudioProblem.Missing, "not in the archive");
            using var member = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(member);
            member.Position = 0;
            return AudioDecoder.Decode(member, name);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var problem = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => AudioProblem.Missing,
                InvalidDataException => AudioProblem.CorruptHeader,
                _ => AudioProblem.Unreadable,
            };
            throw new AudioDecodeException(name, problem, $"cannot read the archive ({e.Message})", e);
        }
    }
}
