using Wav2Vec.Audio;

namespace Wav2Vec.Data;

/// <summary>An utterance of a manifest before decoding: where its audio is and what is said. Cheap to hold.</summary>
/// <param name="Id">The manifest path without extension, e.g. <c>train/000042</c>.</param>
/// <param name="AudioPath">Absolute path of the audio file.</param>
/// <param name="NumSamples">Length at 16 kHz according to the manifest.</param>
/// <param name="Transcript">What is said (the manifest's <c>.wrd</c> words), or null when unlabelled.</param>
public sealed record Utterance(string Id, string AudioPath, long NumSamples, string? Transcript = null)
{
    /// <summary>
    /// Decodes the audio now (16 kHz mono float). Audio whose length differs from <see cref="NumSamples"/> by more than
    /// <see cref="LengthTolerance"/> is an <see cref="AudioDecodeException"/> (<see cref="AudioProblem.LengthMismatch"/>):
    /// the manifest describes other audio, and batches planned from its lengths would be wrong.
    /// </summary>
    public float[] Decode(DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        var samples = AudioDecoder.Decode(AudioPath, options);
        var expected = NumSamples * options.SampleRate / Manifest.SampleRate;
        if (Math.Abs(samples.Length - expected) > LengthTolerance(expected))
            throw new AudioDecodeException(AudioPath, AudioProblem.LengthMismatch,
                $"the manifest gives {NumSamples} samples for '{Id}' but the audio has {samples.Length * Manifest.SampleRate / options.SampleRate}");
        return samples;
    }

    /// <summary>
    /// How far a decoded length may stray from the manifest's: 0.1 s or 1 %, whichever is more, for decoders that
    /// count an MP3's encoder delay and padding differently and resamplers that round differently.
    /// </summary>
    public static long LengthTolerance(long samples) => Math.Max(Manifest.SampleRate / 10, samples / 100);
}

/// <summary>An utterance with its decoded audio <c>[samples]</c> (16 kHz mono float).</summary>
public sealed record AudioUtterance(Utterance Utterance, float[] Samples)
{
    /// <summary>Length in samples.</summary>
    public int Length => Samples.Length;
}
