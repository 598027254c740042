using Wav2Vec.Audio;

namespace Wav2Vec.Data;

/// <summary>An utterance of a manifest before decoding: where its audio is and what is said. Cheap to hold.</summary>
/// <param name="Id">The manifest path without extension, e.g. <c>train/000042</c>.</param>
/// <param name="AudioPath">Absolute path of the audio file.</param>
/// <param name="NumSamples">Length at 16 kHz according to the manifest.</param>
/// <param name="Transcript">What is said (the manifest's <c>.wrd</c> words), or null when unlabelled.</param>
public sealed record Utterance(string Id, string AudioPath, long NumSamples, string? Transcript = null)
{
    /// <summary>Decodes the audio now (16 kHz mono float).</summary>
    public float[] Decode(DecodeOptions? options = null) => AudioDecoder.Decode(AudioPath, options);
}

/// <summary>An utterance with its decoded audio <c>[samples]</c> (16 kHz mono float).</summary>
public sealed record AudioUtterance(Utterance Utterance, float[] Samples)
{
    /// <summary>Length in samples.</summary>
    public int Length => Samples.Length;
}
