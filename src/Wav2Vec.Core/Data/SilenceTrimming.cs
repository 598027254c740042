using System.Reactive.Linq;

namespace Wav2Vec.Data;

/// <summary>
/// Leading and trailing silence cut from training utterances (<c>corpus.trimSilence</c>): a frame is silent when its
/// energy is more than the threshold below the utterance's loudest frame, and the utterance keeps everything from its
/// first to its last non-silent frame, plus a margin. Silence inside an utterance stays.
/// </summary>
public static class SilenceTrimming
{
    /// <summary>Energy frame: 20 ms at 16 kHz, one wav2vec 2.0 frame.</summary>
    public const int FrameSamples = 320;

    /// <summary>Frames of silence kept on each side of the speech (60 ms), so onsets and releases stay whole.</summary>
    public const int MarginFrames = 3;

    /// <summary>
    /// The span of <paramref name="waveform"/> from its first to its last frame within <paramref name="thresholdDb"/> of
    /// its loudest frame, widened by <see cref="MarginFrames"/> on each side; the waveform itself when that span would be
    /// shorter than <paramref name="minSamples"/> (or the waveform has no energy at all).
    /// </summary>
    public static float[] Trim(float[] waveform, double thresholdDb, int minSamples = 0)
    {
        if (!(thresholdDb > 0)) throw new ArgumentOutOfRangeException(nameof(thresholdDb), thresholdDb, "the threshold is a positive number of decibels below the loudest frame");
        var frames = (waveform.Length + FrameSamples - 1) / FrameSamples;
        if (frames == 0) return waveform;
        var energy = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var start = f * FrameSamples;
            var end = Math.Min(start + FrameSamples, waveform.Length);
            double sum = 0;
            for (var i = start; i < end; i++) sum += (double)waveform[i] * waveform[i];
            energy[f] = sum / (end - start);
        }
        var peak = energy.Max();
        if (peak <= 0) return waveform;
        var floor = peak * Math.Pow(10, -thresholdDb / 10);
        var first = Array.FindIndex(energy, e => e >= floor);
        var last = Array.FindLastIndex(energy, e => e >= floor);
        var from = Math.Max(0, first - MarginFrames) * FrameSamples;
        var to = Math.Min(waveform.Length, (last + 1 + MarginFrames) * FrameSamples);
        return to - from >= minSamples && to - from < waveform.Length ? waveform[from..to] : waveform;
    }

    /// <summary>
    /// Trims each decoded utterance when <paramref name="thresholdDb"/> is set (<see cref="Trim"/>), never below
    /// <paramref name="minSamples"/>; passes them through otherwise.
    /// </summary>
    public static IObservable<AudioUtterance> TrimSilence(this IObservable<AudioUtterance> source, double? thresholdDb, int minSamples = 0) =>
        thresholdDb is { } db ? source.Select(u => u with { Samples = Trim(u.Samples, db, minSamples) }) : source;
}
