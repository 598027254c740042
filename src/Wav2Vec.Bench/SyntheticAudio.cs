namespace Wav2Vec.Bench;

/// <summary>Deterministic speech-band test audio: a rising chirp with noise, amplitude ≈ 0.3.</summary>
public static class SyntheticAudio
{
    /// <summary><paramref name="samples"/> samples at 16 kHz from <paramref name="seed"/>.</summary>
    public static float[] Make(long samples, int seed)
    {
        var random = new Random(seed);
        var audio = new float[samples];
        var start = 100 + 100 * random.NextDouble();
        for (var i = 0; i < samples; i++)
        {
            var t = i / 16000.0;
            audio[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (start + 300 * (t % 2)) * t) + 0.05 * (random.NextDouble() * 2 - 1));
        }
        return audio;
    }
}
