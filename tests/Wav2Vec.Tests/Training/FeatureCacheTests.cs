using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;
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
        var (features, mask) = cache.Batch(["a", "b"], [a, b]);

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

        var (again, _) = cache.Batch(["b"], [b]);
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
        cache.Batch(["a", "b", "c"], [a, a, a]);
        Assert.Equal(1, cache.Count);
        Assert.Equal(oneUtterance, cache.Bytes);
    }

    [Fact]
    public void AFineTuningStepFromCachedFeaturesEqualsOneFromTheWaveform()
    {
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        var batch = new LabelledBatch(["input"], [Wave("input.wav")], ["the quick brown fox jumps over the lazy dog"]);
        double[] Losses(bool cacheFeatures)
        {
            using var model = Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);
            using var tuner = new CtcFineTuner(model, tokenizer, new FineTuneSettings(Steps: 3, LearningRate: 1e-4, CacheFeatures: cacheFeatures));
            var losses = Enumerable.Range(0, 3).Select(_ => tuner.Step(batch).Loss).ToArray();
            Assert.Equal(cacheFeatures ? 1 : 0, tuner.Cache?.Count ?? 0);
            return losses;
        }
        var cached = Losses(true);
        var direct = Losses(false);
        for (int i = 0; i < cached.Length; i++) Assert.Equal(direct[i], cached[i], 4);
    }
}
