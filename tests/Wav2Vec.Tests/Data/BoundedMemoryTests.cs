using System.Diagnostics;
using System.Reactive.Linq;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Data;

/// <summary>Process-wide memory readings are only meaningful while no other test allocates, so this runs alone.</summary>
[CollectionDefinition(nameof(BoundedMemoryTests), DisableParallelization = true)]
public sealed class BoundedMemoryCollection;

[Collection(nameof(BoundedMemoryTests))]
public class BoundedMemoryTests
{
    [Fact]
    public void TenThousandUtterancesStreamIntoASlowConsumerWithFlatManagedAndNativeMemory()
    {
        TorchRuntime.Initialize();
        var dir = TestAudio.TempDir();
        var files = Enumerable.Range(0, 8).Select(i =>
        {
            var seconds = 0.1 + 0.05 * i;
            TestAudio.WriteWav(Path.Combine(dir, $"tone{i}.wav"), TestAudio.Sine(200 + 50 * i, seconds, 16_000), 16_000, 1, 16);
            return new ManifestEntry($"tone{i}.wav", (long)(seconds * 16_000), "A|TONE", "A TONE");
        }).ToArray();
        const int utterances = 10_000;
        var manifest = new Manifest(dir, [.. Enumerable.Range(0, utterances).Select(i => files[i % files.Length])]);
        var encoder = new PipelineTests.Letters(c => c);
        long streamedSamples = 0;
        var seen = 0;
        var batches = 0;
        var memory = new List<(long Managed, long Resident)>();

        // The trainer's data path and hand-off: decoding runs on the bridge's thread, at most two batches ahead.
        var pipeline = manifest.Utterances(shuffleSeed: 1)
            .Decode()
            .Standardize()
            .BatchBySize(maxSamples: 40_000, bucketWindow: 64, seed: 1)
            .Pad(encoder)
            .ToTensors();
        foreach (var batch in pipeline.ToBlockingEnumerable(capacity: 2))
        {
            using (batch)
            {
                streamedSamples += batch.Lengths.Sum();
                seen += batch.Size;
                Thread.Sleep(2);
                batches++;
                if (batches % 100 == 0)
                    memory.Add((GC.GetTotalMemory(forceFullCollection: true), Process.GetCurrentProcess().WorkingSet64));
            }
        }

        Assert.Equal(utterances, seen);
        // 10,000 utterances are ~176 MB as float audio; a pipeline that buffered them would grow by that much.
        Assert.True(streamedSamples * sizeof(float) > 150_000_000, $"streamed only {streamedSamples} samples");
        var warm = memory.Skip(1).ToArray();
        Assert.True(warm.Length >= 5, $"only {warm.Length} memory samples");
        var managedGrowth = warm.Max(m => m.Managed) - warm[0].Managed;
        var residentGrowth = warm.Max(m => m.Resident) - warm[0].Resident;
        Assert.True(managedGrowth < 16_000_000, $"managed memory grew by {managedGrowth / 1e6:0.0} MB");
        Assert.True(residentGrowth < 48_000_000, $"resident (managed + native) memory grew by {residentGrowth / 1e6:0.0} MB");
    }
}
