using System.Diagnostics;
using System.Reactive.Linq;
using Wav2Vec.Audio;
using Wav2Vec.Data;

namespace Wav2Vec.Bench;

/// <summary>
/// The pre-training data path (manifest → decode → length buckets → random crop → tensors) on generated 4-second
/// 16 kHz WAV files, in seconds of audio per second of wall-clock time.
/// </summary>
public static class DataPipeline
{
    /// <summary>Median × real time over <see cref="BenchOptions.Rounds"/> passes (at most 3) through <see cref="BenchOptions.DataFiles"/> files.</summary>
    public static Sample RealTimeFactor(BenchOptions options)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wav2vec-bench-data-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var entries = Enumerable.Range(0, options.DataFiles).Select(i =>
            {
                var name = $"utt{i:D4}.wav";
                var audio = SyntheticAudio.Make(64000, options.Seed + i);
                WavWriter.WriteMono16(Path.Combine(folder, name), audio);
                return new ManifestEntry(name, audio.Length);
            }).ToList();
            var manifest = new Manifest(folder, entries);
            var seconds = manifest.TotalSeconds;
            var factors = Enumerable.Range(0, Math.Clamp(options.Rounds, 1, 3)).Select(pass =>
            {
                var clock = Stopwatch.StartNew();
                manifest.Utterances(options.Seed + pass).Decode().BatchBySize(options.Batch * 64000, seed: pass)
                    .CropToShortest(pass).ToTensors().Do(b => b.Dispose()).LastOrDefaultAsync().Wait();
                return seconds / clock.Elapsed.TotalSeconds;
            }).ToList();
            return Sample.Of(factors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
