namespace Wav2Vec.Pretraining;

/// <summary>
/// How to build a <see cref="DevProbe"/> from a manifest.
/// </summary>
/// <param name="Utterances">Rows of the batch.</param>
/// <param name="CropSamples">Longest crop per row (32 000 = 2 s at 16 kHz, the quickstart's pre-training crop).</param>
/// <param name="Seed">Seed of the choice of utterances, crops, mask, distractors and the agreement's draws.</param>
/// <param name="Decode">How audio is decoded; use what pre-training uses (<see cref="Audio.DecodeOptions.Default"/> when null).</param>
/// <param name="Normalize">Scale each waveform to zero mean and unit variance, as pre-training does when its corpus normalises.</param>
public sealed record DevProbeOptions(int Utterances = 8, int CropSamples = 32_000, long Seed = 0, Audio.DecodeOptions? Decode = null,
    bool Normalize = false)
{
    /// <summary>8 rows of at most 2 s, seed 0.</summary>
    public static DevProbeOptions Default { get; } = new();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public DevProbeOptions Validate()
    {
        if (Utterances < 1)
            throw new ArgumentException($"DevProbeOptions.Utterances must be at least 1, got {Utterances}.", nameof(Utterances));
        if (CropSamples < 1)
            throw new ArgumentException($"DevProbeOptions.CropSamples must be at least 1, got {CropSamples}.", nameof(CropSamples));
        return this;
    }
}
