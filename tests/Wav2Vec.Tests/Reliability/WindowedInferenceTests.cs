using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Reliability;

/// <summary>Long audio runs in windows with bounded memory; the stitching rule keeps every frame exactly where it belongs.</summary>
[Collection(AloneCollection.Name)]
public class WindowedInferenceTests
{
    const long Stride = 320, Field = 400;

    [Property(MaxTest = 300)]
    public Property KeptRangesTileTheFramesAndEveryKeptFrameHasItsContext()
    {
        var cases = from samples in Gen.Choose(0, 2_000_000)
                    from window in Gen.Choose(2, 40)
                    from context in Gen.Choose(0, 20)
                    where window > 2 * context + 0.05 * 16_000 / Stride
                    select (samples, window, context);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var options = new WindowOptions(c.window, c.context / 10.0);
            var frames = InferenceWindows.Frames(c.samples, Stride, Field);
            var plan = InferenceWindows.Plan(c.samples, Stride, Field, options);
            var contextFrames = (long)Math.Ceiling(options.ContextSeconds * 16_000 / Stride);
            var tiles = plan[0].KeepFrom == 0 && plan[^1].KeepTo == frames
                        && plan.Zip(plan.Skip(1)).All(p => p.First.KeepTo == p.Second.KeepFrom && p.First.KeepFrom < p.First.KeepTo);
            var inside = plan.All(w => w.Start >= 0 && w.End <= frames && w.Start <= w.KeepFrom && w.KeepTo <= w.End);
            var context = plan.Count == 1 || plan.All(w =>
                (w.KeepFrom == 0 || w.KeepFrom - w.Start >= contextFrames) && (w.KeepTo == frames || w.End - w.KeepTo >= contextFrames));
            var equal = plan.Count == 1 || plan.All(w => w.End - w.Start == plan[0].End - plan[0].Start);
            return (tiles || frames == 0) && inside && context && equal;
        });
    }

    [Fact]
    public void TenMinutesRunInPassesOfThirtySecondsWhoseEstimateStaysUnderTwoGigabytes()
    {
        var tiny = Wav2Vec2Presets.Tiny();
        var plan = InferenceWindows.Plan(600 * 16_000, Stride, Field, WindowOptions.Default);
        Assert.Equal(30, plan.Count);
        var pass = InferenceWindows.Samples(plan[0], Stride, Field);
        Assert.True(pass.End - pass.First <= 30 * 16_000);
        Assert.True(Wav2Vec2ConfigMemory.InferenceBytes(tiny, pass.End - pass.First) < 1L << 30);
        // One pass over the whole file, as before windows, would need tens of gigabytes (heads × T² attention scores).
        Assert.True(Wav2Vec2ConfigMemory.InferenceBytes(tiny, 600 * 16_000) > 10L << 30);
    }

    [Fact]
    public void AudioShorterThanAWindowGivesExactlyTheUnwindowedLogProbabilities()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var waveform = Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav"));
        var expected = OnePass(recognizer.Model, waveform);
        Assert.Equal(expected, recognizer.LogProbs(waveform));
    }

    [Fact]
    public void WithAFrameLocalModelWindowedAndUnwindowedLogProbabilitiesAgreeOnEveryFrame()
    {
        // A layer-norm feature encoder and attention switched off (out_proj = 0) make every output frame depend on a
        // bounded stretch of audio (conv receptive field + positional conv kernel). With context covering that stretch,
        // windows must reproduce one pass frame for frame: any shift or off-by-one at a seam would show.
        TorchRuntime.Initialize();
        TorchRuntime.Seed(11);
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Presets.Tiny() with { FeatExtractNorm = "layer", NumConvPosEmbeddings = 16, MaskTimeProb = 0 });
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains("attention.out_proj", StringComparison.Ordinal)) p.zero_();
        var vocabulary = Vocabulary.English;
        using var recognizer = new CtcRecognizer(model, vocabulary) { Windows = new WindowOptions(WindowSeconds: 2, ContextSeconds: 0.25) };
        var random = new Random(5);
        var waveform = Enumerable.Range(0, 16_000 * 7 + 123).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Assert.True(InferenceWindows.Plan(waveform.Length, Stride, Field, recognizer.Windows).Count >= 4);
        var expected = OnePass(model, waveform);
        var windowed = recognizer.LogProbs(waveform);
        Assert.Equal(expected.Length, windowed.Length);
        var worst = expected.Zip(windowed).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(worst < 1e-4, $"max |Δ log p| = {worst}");
    }

    static float[][] OnePass(Wav2Vec2ForCtc model, float[] waveform)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        return LogProbs.FromLogits(model.Forward(tensor(waveform).unsqueeze(0)).Logits[0]);
    }
}
