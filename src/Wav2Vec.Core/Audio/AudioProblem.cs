namespace Wav2Vec.Audio;

/// <summary>What is wrong with an audio file that cannot be used.</summary>
public enum AudioProblem
{
    /// <summary>The file does not exist.</summary>
    Missing,
    /// <summary>A format no served .NET package decodes (FLAC, Ogg Opus, …).</summary>
    UnsupportedFormat,
    /// <summary>The header is corrupt or not the format the file claims.</summary>
    CorruptHeader,
    /// <summary>The audio data after the header is damaged (e.g. an Ogg page fails its checksum).</summary>
    CorruptData,
    /// <summary>The file ends before the length its header declares.</summary>
    Truncated,
    /// <summary>No samples.</summary>
    Empty,
    /// <summary>A NaN or infinite sample.</summary>
    NonFiniteSamples,
    /// <summary>Longer than the configured maximum duration.</summary>
    TooLong,
    /// <summary>Shorter than the configured minimum (a model's receptive field: too short for one frame).</summary>
    TooShort,
    /// <summary>Its length disagrees with the length its manifest declares (a manifest of other audio).</summary>
    LengthMismatch,
    /// <summary>The file exists but cannot be read (permissions, an I/O error).</summary>
    Unreadable,
}

/// <summary>An audio file that cannot be used; the message names the file and says what to do.</summary>
public sealed class AudioDecodeException(string path, AudioProblem problem, string detail, Exception? inner = null)
    : Exception($"{path}: {detail}", inner)
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = path;

    /// <summary>The class of problem, for counting skips.</summary>
    public AudioProblem Problem { get; } = problem;
}
