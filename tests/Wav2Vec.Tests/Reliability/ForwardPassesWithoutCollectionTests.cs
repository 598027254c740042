using System.Runtime;
using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Pretraining;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Tests.Experiments;
using Wav2Vec.Tests.Pretraining;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// Evaluation, test scoring and the dev probe run the network's arithmetic as an update does, so their forward passes
/// hold the collector off too (a temporary TorchSharp scalar freed during one ends the run's evaluation).
/// </summary>
[Collection(ProcessWideGcCollection.Name)]
public class ForwardPassesWithoutCollectionTests
{
    /// <summary>
    /// The collector's mode as another thread sees it while <paramref name="work"/> runs (the model's layers are called
    /// directly, so no hook sees inside a pass): how many of its samples found the collector held off, of how many.
    /// </summary>
    static (int Held, int Samples) HeldWhile(Action work)
    {
        var (held, samples, done) = (0, 0, 0);
        var watcher = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                samples++;
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) held++;
            }
        });
        watcher.Start();
        try
        {
            work();
        }
        finally
        {
            Volatile.Write(ref done, 1);
            watcher.Join();
        }
        return (held, samples);
    }

    [Fact]
    public void ARecognizersPassesRunWithTheCollectorHeldOffAndReleaseItAfter()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var waveform = Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav"));
        // Audio longer than a window runs window by window, each pass guarded.
        using var windowing = new CtcRecognizer(recognizer.Model, recognizer.Vocabulary, recognizer.NormalizeWaveform)
            { Windows = new WindowOptions(WindowSeconds: 1, ContextSeconds: 0.25) };
        float[][] logProbs = [], windowed = [];

        var (held, samples) = HeldWhile(() =>
        {
            for (var i = 0; i < 5; i++) logProbs = recognizer.LogProbs(waveform);
            windowed = windowing.LogProbs(waveform);
        });

        Assert.True(held > 0, $"the collector was held off in none of {samples} samples during five one-pass inferences and a windowed one");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(145, logProbs.Length);
        Assert.Equal(logProbs.Length, windowed.Length);
    }

    [Fact]
    public void TheDevProbesPassRunsWithTheCollectorHeldOffAndReleasesItAfter()
    {
        var probe = DevProbe.FromManifest(TinyCorpus.Create(count: 4), "train", MicroPretraining.Config, MicroPretraining.Masking,
            MicroPretraining.Objective, new DevProbeOptions(2, 8000, 3));
        using var model = MicroPretraining.Model();
        DevProbeResult? result = null;

        var (held, samples) = HeldWhile(() =>
        {
            for (var i = 0; i < 3; i++) result = probe.Measure(model);
        });

        Assert.True(held > 0, $"the collector was held off in none of {samples} samples during three probes");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.InRange(result!.Accuracy, 0, 1);
    }
}
