using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Training;

public class FeatureCacheTests
{
    static float[] Wave(string name) => Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, name));

    [Fact]
    public void CachedFeaturesAreTheEncoderOutputOfEachUtteranceAlonePaddedWithAFrameMask()
    {
        using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
        using var cache = new FeatureCache(model.Wav2Vec2, CPU);
        using var scope = NewDisposeScope();
        float[] a = Wave("input.wav"), b = Wave("input2.wav");
        var (features, mask) = cache.Batch(["a", "b"], Padded(a, b), [a.Length, b.Length]);

        long ta = FrameLengths.Compute(a.Length, model.Config), tb = FrameLengths.Compute(b.Length, model.Config);
        Assert.Equal(new[] { 2L, Math.Max(ta, tb), model.Config.ConvDim[^1] }, features.shape);
        Assert.Equal(new[] { ta, tb }, mask.sum(1).data<long>().ToArray());
        using (no_grad())
        {
            var alone = model.Wav2Vec2.FeatureEncoder.Forward(tensor(b, [1, b.Length]))[0];
            Assert.True(features[1, TensorIndex.Slice(0, tb)].allclose(alone, rtol: 0, atol: 0));
        }
        Assert.Equal(2, cache.Count);
        Assert.Equal((ta + tb) * model.Config.ConvDim[^1] * 4, cache.Bytes);

        var (again, _) = cache.Batch(["b"], Padded(b), [b.Length]);
        Assert.Equal(2, cache.Count);
        Assert.True(again[0].allclose(features[1, TensorIndex.Slice(0, tb)], rtol: 0, atol: 0));
    }

    [Fact]
    public void BeyondItsCapacityTheCacheComputesInsteadOfKeeping()
    {
        using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
        float[] a = Wave("input.wav");
        long oneUtterance = FrameLengths.Compute(a.Length, model.Config) * model.Config.ConvDim[^1] * 4;
        using var cache = new FeatureCache(model.Wav2Vec2, CPU, capacityBytes: oneUtterance);
        using var scope = NewDisposeScope();
        cache.Batch(["a", "b", "c"], Padded(a, a, a), [a.Length, a.Length, a.Length]);
        Assert.Equal(1, cache.Count);
        Assert.Equal(oneUtterance, cache.Bytes);
    }

    [Fact]
    public void AFineTuningStepFromCachedFeaturesEqualsOneFromTheWaveform()
    {
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        double[] Losses(bool cacheFeatures)
        {
            using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
            model.FreezeFeatureEncoder();
            using var cache = cacheFeatures ? new FeatureCache(model.Wav2Vec2, CPU) : null;
            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad), 1e-4);
            var losses = Enumerable.Range(0, 3).Select(step =>
            {
                using var batch = TestBatches.Labelled(tokenizer, ("input", Wave("input.wav"), "the quick brown fox jumps over the lazy dog"));
                return CtcStep.Run(model, optimizer, [batch], step, new CtcStepOptions(), cache).Loss;
            }).ToArray();
            Assert.Equal(cacheFeatures ? 1 : 0, cache?.Count ?? 0);
            return losses;
        }
        var cached = Losses(true);
        var direct = Losses(false);
        for (int i = 0; i < cached.Length; i++) Assert.Equal(direct[i], cached[i], 4);
    }

    /// <summary>Waveforms zero-padded to the longest, as the data path's Pad stage lays them out: [B, L_max].</summary>
    static Tensor Padded(params float[][] waveforms)
    {
        var longest = waveforms.Max(w => w.Length);
        var data = new float[waveforms.Length * longest];
        for (var b = 0; b < waveforms.Length; b++) waveforms[b].CopyTo(data, b * longest);
        return tensor(data, [waveforms.Length, longest]);
    }
}
