namespace Wav2Vec.Audio;

/// <summary>How audio is decoded for the model.</summary>
/// <param name="SampleRate">Output rate in Hz; wav2vec 2.0 expects 16 kHz.</param>
/// <param name="MaxSeconds">Files longer than this are bad input (<see cref="AudioProblem.TooLong"/>); null for no limit.</param>
/// <param name="Normalize">Zero mean, unit variance per utterance (wav2vec 2.0 LARGE-LV60 does this; BASE does not, hence off).</param>
/// <param name="MinSamples">
/// Files with fewer output samples are bad input (<see cref="AudioProblem.TooShort"/>): a model's receptive field (400
/// samples for wav2vec 2.0), below which its feature encoder yields no frame; 0 for no limit.
/// </param>
public sealed record DecodeOptions(int SampleRate = 16_000, double? MaxSeconds = 60, bool Normalize = false, int MinSamples = 0)
{
    /// <summary>16 kHz, at most 60 s, not normalised.</summary>
    public static DecodeOptions Default { get; } = new();
}
