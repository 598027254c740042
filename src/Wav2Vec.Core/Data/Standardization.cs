using System.Reactive.Linq;

namespace Wav2Vec.Data;

/// <summary>
/// Per-utterance waveform standardisation: zero mean, unit variance (fairseq's <c>normalize</c>, Hugging Face's
/// <c>do_normalize</c>). Training and every evaluation path use this one function, so they never disagree.
/// </summary>
public static class Standardization
{
    /// <summary>(x − mean) / √(variance + 10⁻⁷) over the whole waveform (Hugging Face's ε); an empty waveform stays empty.</summary>
    public static float[] Standardize(float[] waveform)
    {
        if (waveform.Length == 0) return waveform;
        double mean = waveform.Average(x => (double)x);
        double variance = waveform.Average(x => (x - mean) * (x - mean));
        double scale = 1 / Math.Sqrt(variance + 1e-7);
        return waveform.Select(x => (float)((x - mean) * scale)).ToArray();
    }

    /// <summary>Standardises each decoded utterance when <paramref name="enabled"/>; passes them through otherwise.</summary>
    public static IObservable<AudioUtterance> Standardize(this IObservable<AudioUtterance> source, bool enabled = true) =>
        enabled ? source.Select(u => u with { Samples = Standardize(u.Samples) }) : source;
}
