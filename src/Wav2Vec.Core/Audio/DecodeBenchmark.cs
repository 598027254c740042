using System.Diagnostics;

namespace Wav2Vec.Audio;

/// <summary>One benchmarked kind of input.</summary>
/// <param name="Kind">What was decoded, e.g. <c>WAV 16 kHz mono 16-bit</c>.</param>
/// <param name="AudioSeconds">Audio decoded.</param>
/// <param name="Elapsed">Time taken on one thread.</param>
public sealed record DecodeSpeed(string Kind, double AudioSeconds, TimeSpan Elapsed)
{
    /// <summary>Seconds of audio decoded per second on one core.</summary>
    public double RealTimePerCore => AudioSeconds / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Measures single-threaded decoding speed (× real time per core) of files or of generated test audio.</summary>
public static class DecodeBenchmark
{
    /// <summary>
    /// Decodes each file once on the calling thread (after one warm-up decode) and reports speed for the set.
    /// </summary>
    public static DecodeSpeed Measure(string kind, IReadOnlyList<string> files, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default with { MaxSeconds = null };
        if (files.Count > 0) AudioDecoder.Decode(files[0], options);
        var clock = Stopwatch.StartNew();
        long samples = 0;
        foreach (var f in files) samples += AudioDecoder.Decode(f, options).Length;
        return new DecodeSpeed(kind, samples / (double)options.SampleRate, clock.Elapsed);
    }

    /// <summary>
    /// Writes <paramref name="files"/> 10-second files of two kinds into <paramref name="folder"/> — the corpus format
    /// (16 kHz mono 16-bit) and CD audio (44.1 kHz stereo 16-bit, which exercises mixdown and resampling) — and measures each.
    /// </summary>
    public static IReadOnlyList<DecodeSpeed> MeasureGenerated(string folder, int files = 12)
    {
        Directory.CreateDirectory(folder);
        var kinds = new (string Kind, int Rate, int Channels)[] { ("WAV 16 kHz mono 16-bit", 16_000, 1), ("WAV 44.1 kHz stereo 16-bit", 44_100, 2) };
        var results = new List<DecodeSpeed>();
        foreach (var (kind, rate, channels) in kinds)
        {
            var paths = Enumerable.Range(0, files).Select(i => Path.Combine(folder, $"{rate}-{channels}-{i}.wav")).ToArray();
            foreach (var p in paths) WriteTone(p, rate, channels, seconds: 10);
            results.Add(Measure(kind, paths));
        }
        return results;
    }

    static void WriteTone(string path, int rate, int channels, int seconds)
    {
        using var writer = new NAudio.Wave.WaveFileWriter(path, new NAudio.Wave.WaveFormat(rate, 16, channels));
        var frame = new float[channels];
        for (var i = 0; i < rate * seconds; i++)
        {
            Array.Fill(frame, 0.3f * (float)Math.Sin(2 * Math.PI * 440 * i / rate));
            writer.WriteSamples(frame, 0, channels);
        }
    }
}
