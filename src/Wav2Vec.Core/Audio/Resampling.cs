using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Wav2Vec.Audio;

/// <summary>Channel mixdown and sample-rate conversion (NAudio's WDL resampler).</summary>
public static class Resampling
{
    /// <summary>Averages interleaved channels to mono: <c>[frames·channels]</c> → <c>[frames]</c>.</summary>
    public static float[] ToMono(ReadOnlySpan<float> interleaved, int channels)
    {
        if (channels == 1) return interleaved.ToArray();
        var frames = interleaved.Length / channels;
        var mono = new float[frames];
        var scale = 1f / channels;
        for (var f = 0; f < frames; f++)
        {
            var sum = 0f;
            var row = interleaved.Slice(f * channels, channels);
            foreach (var s in row) sum += s;
            mono[f] = sum * scale;
        }
        return mono;
    }

    /// <summary>Resamples mono audio <c>[samples]</c> from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
    public static float[] Resample(float[] mono, int fromRate, int toRate)
    {
        if (fromRate == toRate) return mono;
        var resampler = new WdlResamplingSampleProvider(new ArraySampleProvider(mono, fromRate), toRate);
        var expected = (int)Math.Round((double)mono.Length * toRate / fromRate);
        var output = new float[expected];
        var filled = 0;
        int read;
        while (filled < expected && (read = resampler.Read(output.AsSpan(filled, Math.Min(8192, expected - filled)))) > 0)
            filled += read;
        return filled == expected ? output : output[..filled];
    }

    /// <summary>Zero mean, unit variance in place (the per-utterance normalisation of wav2vec 2.0 LARGE).</summary>
    public static void NormalizeInPlace(Span<float> samples)
    {
        if (samples.Length == 0) return;
        double sum = 0, sumSq = 0;
        foreach (var s in samples) { sum += s; sumSq += (double)s * s; }
        var mean = sum / samples.Length;
        var variance = Math.Max(sumSq / samples.Length - mean * mean, 0);
        var scale = 1 / Math.Sqrt(variance + 1e-5);
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)((samples[i] - mean) * scale);
    }

    sealed class ArraySampleProvider(float[] samples, int rate) : ISampleProvider
    {
        int position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(Span<float> buffer)
        {
            var n = Math.Min(buffer.Length, samples.Length - position);
            samples.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }
    }
}
