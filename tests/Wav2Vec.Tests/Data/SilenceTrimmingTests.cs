using System.Reactive.Linq;
using FsCheck.Xunit;
using Wav2Vec.Data;

namespace Wav2Vec.Tests.Data;

public class SilenceTrimmingTests
{
    const int Rate = 16_000;

    /// <summary>Faint noise (≈ −80 dB) of <paramref name="seconds"/>, as the quiet ends of a TTS file.</summary>
    static float[] Hush(double seconds, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, (int)(seconds * Rate)).Select(_ => (float)(1e-4 * (random.NextDouble() - 0.5)))];
    }

    /// <summary>Where <paramref name="part"/> sits in <paramref name="whole"/> on a 20 ms frame boundary, or −1.</summary>
    static int FrameOffset(float[] whole, float[] part) =>
        Enumerable.Range(0, whole.Length - part.Length + 1).Where(s => s % SilenceTrimming.FrameSamples == 0)
            .FirstOrDefault(s => whole.AsSpan(s, part.Length).SequenceEqual(part), -1);

    static float[] Tone(double seconds, double amplitude = 0.5) =>
        [.. Enumerable.Range(0, (int)(seconds * Rate)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * 220 * i / Rate)))];

    [Fact]
    public void LeadingAndTrailingSilenceGoAndTheSpeechStaysWholeWithItsMargins()
    {
        var (lead, speech, trail) = (Hush(0.5, 1), Tone(1.0), Hush(0.3, 2));
        float[] waveform = [.. lead, .. speech, .. trail];
        var trimmed = SilenceTrimming.Trim(waveform, thresholdDb: 40);
        var margin = SilenceTrimming.MarginFrames * SilenceTrimming.FrameSamples;
        // Cuts land on 20 ms frame boundaries: each side keeps between the margin and the margin plus one frame.
        Assert.InRange(trimmed.Length, speech.Length + 2 * margin - SilenceTrimming.FrameSamples, speech.Length + 2 * margin + 2 * SilenceTrimming.FrameSamples);
        var start = FrameOffset(waveform, trimmed);
        Assert.InRange(start, lead.Length - margin - SilenceTrimming.FrameSamples, lead.Length - margin + SilenceTrimming.FrameSamples);
    }

    [Fact]
    public void SilenceBetweenWordsIsKept()
    {
        float[] waveform = [.. Hush(0.2, 1), .. Tone(0.3), .. Hush(0.4, 2), .. Tone(0.3), .. Hush(0.2, 3)];
        var trimmed = SilenceTrimming.Trim(waveform, thresholdDb: 40);
        Assert.True(trimmed.Length >= (int)(1.0 * Rate), $"{trimmed.Length} samples left of a 1 s stretch from first to last word");
    }

    [Fact]
    public void AQuietSpeakerIsMeasuredAgainstTheirOwnLoudestFrame()
    {
        float[] waveform = [.. Hush(0.5, 1), .. Tone(1.0, amplitude: 0.002), .. Hush(0.5, 2)];
        Assert.InRange(SilenceTrimming.Trim(waveform, thresholdDb: 30).Length, Rate, Rate + 8 * SilenceTrimming.FrameSamples);
    }

    [Fact]
    public void AnUtteranceIsNeverCutBelowTheMinimumNorIsSilenceOrAnEmptyWaveformChanged()
    {
        float[] burst = [.. Hush(1.0, 1), .. Tone(0.05), .. Hush(1.0, 2)];
        Assert.Same(burst, SilenceTrimming.Trim(burst, 40, minSamples: Rate));
        Assert.True(SilenceTrimming.Trim(burst, 40, minSamples: 400).Length < Rate / 2);
        var zeros = new float[Rate];
        Assert.Same(zeros, SilenceTrimming.Trim(zeros, 40));
        Assert.Empty(SilenceTrimming.Trim([], 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => SilenceTrimming.Trim(burst, 0));
    }

    [Fact]
    public void TheOperatorTrimsOnlyWhenAThresholdIsSet()
    {
        float[] waveform = [.. Hush(0.5, 1), .. Tone(0.5), .. Hush(0.5, 2)];
        var item = new AudioUtterance(new Utterance("u", "/nowhere/u.wav", waveform.Length, null), waveform);
        Assert.Same(waveform, Observable.Return(item).TrimSilence(null).Wait().Samples);
        Assert.True(Observable.Return(item).TrimSilence(40).Wait().Length < waveform.Length * 2 / 3);
    }

    /// <summary>Random bursts of 1–60 dB in faint noise, cut at 10–60 dB.</summary>
    static float[] Bursts(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, random.Next(1, 8)).SelectMany(_ =>
            Enumerable.Range(0, random.Next(1, 6000)).Select(i => (float)(Math.Pow(10, -random.Next(0, 60) / 20.0) * (random.NextDouble() - 0.5))))];
    }

    [Property(MaxTest = 60)]
    public bool TrimmingKeepsAContiguousRunHoldingTheLoudestFrameAndIsIdempotent(int seed, byte threshold)
    {
        var waveform = Bursts(seed);
        var db = 10 + threshold % 50;
        var once = SilenceTrimming.Trim(waveform, db);
        var twice = SilenceTrimming.Trim(once, db);
        var frames = waveform.Chunk(SilenceTrimming.FrameSamples).Select(f => f.Average(x => (double)x * x)).ToArray();
        var loudest = Array.IndexOf(frames, frames.Max());
        var loudestFrame = waveform.Skip(loudest * SilenceTrimming.FrameSamples).Take(SilenceTrimming.FrameSamples).ToArray();
        return FrameOffset(waveform, once) >= 0 && once.AsSpan().IndexOf(loudestFrame) >= 0 && twice.SequenceEqual(once);
    }
}
