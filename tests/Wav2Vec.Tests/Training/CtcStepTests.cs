using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.IO;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Training;

public class CtcStepTests
{
    static readonly Tokenizer English = new(Vocabulary.English, TranscriptNormalizer.English);

    /// <summary>The fixture's CTC model without dropout, so two runs of a step draw nothing from libtorch's shared generator.</summary>
    static Wav2Vec2ForCtc FixtureModel(Func<Wav2Vec2Config, Wav2Vec2Config>? configure = null) =>
        FineTuning.LoadModel(CtcFixtures.Folder, Vocabulary.English, c => (configure ?? (x => x))(c with
        {
            HiddenDropout = 0, ActivationDropout = 0, AttentionDropout = 0, FeatProjDropout = 0, FinalDropout = 0, LayerDrop = 0,
        }), _ => { });

    static Batch FixtureBatch(params string[] transcripts) => TestBatches.Labelled(English,
        ("input", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), transcripts.ElementAtOrDefault(0) ?? "the quick brown fox jumps over the lazy dog"),
        ("input2", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav")), transcripts.ElementAtOrDefault(1) ?? "speech recognition without transcripts"));

    static optim.Optimizer AdamW(Wav2Vec2ForCtc model, double lr = 1e-3) =>
        Optimizers.AdamW(model.named_parameters(), new OptimizerSpec(LearningRate: lr, WeightDecay: 0), Optimizers.DefaultNoDecay);

    static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    static IEnumerable<string> Changed(nn.Module model, Dictionary<string, Tensor> before) =>
        model.named_parameters().Where(p => !p.parameter.detach().eq(before[p.name]).all().item<bool>()).Select(p => p.name);

    [Fact]
    public void WhileTheTransformerIsFrozenOnlyLmHeadTrainsAndTheFeatureEncoderNever()
    {
        using var model = FixtureModel(c => c with { MaskTimeProb = 0.05, MaskFeatureProb = 0.05 });
        model.FreezeFeatureEncoder();
        var optimizer = AdamW(model);
        var options = new CtcStepOptions(FreezeTransformerSteps: 1, TimeMasking: new MaskingOptions(0.05, 5, MinMasks: 1), ChannelMasking: new MaskingOptions(0.05, 8));
        var before = Snapshot(model);
        using var batch = FixtureBatch();
        var first = CtcStep.Run(model, optimizer, [batch], step: 0, options);
        Assert.Equal(1, first.Metric("transformer_frozen"));
        Assert.False(first.Skipped);
        Assert.Equal(["lm_head.bias", "lm_head.weight"], Changed(model, before).Order());

        var second = CtcStep.Run(model, optimizer, [batch], step: 1, options);
        Assert.Equal(0, second.Metric("transformer_frozen"));
        var changed = Changed(model, before).ToList();
        Assert.Contains("wav2vec2.encoder.layers.0.attention.q_proj.weight", changed);
        Assert.DoesNotContain(changed, name => name.StartsWith("wav2vec2.feature_extractor.", StringComparison.Ordinal));
    }

    [Fact]
    public void ANonFiniteLossSkipsTheUpdate()
    {
        using var model = FixtureModel();
        using (no_grad()) model.LmHead.bias!.fill_(double.NaN);
        var before = Snapshot(model);
        using var batch = FixtureBatch();
        var report = CtcStep.Run(model, AdamW(model), [batch], step: 0, new CtcStepOptions());
        Assert.True(report.Skipped);
        Assert.Equal(["lm_head.bias"], Changed(model, before));
    }

    [Fact]
    public void GradientsAreClippedToTheConfiguredNorm()
    {
        using var model = FixtureModel();
        using var batch = FixtureBatch();
        var report = CtcStep.Run(model, AdamW(model), [batch], step: 0, new CtcStepOptions(ClipNorm: 1e-3));
        Assert.True(report.GradNorm > 1e-3, $"pre-clip norm {report.GradNorm}");
        var clipped = Math.Sqrt(model.parameters().Where(p => p.grad is not null).Sum(p => p.grad!.pow(2).sum().item<float>()));
        Assert.InRange(clipped, 0, 1.01e-3);
    }

    [Fact]
    public void ATranscriptWithALetterOutsideTheVocabularyIsAnErrorNamingTheUtterance()
    {
        var error = Assert.Throws<FormatException>(() => FixtureBatch("route 66", "fine"));
        Assert.Contains("utterance input:", error.Message);
    }

    [Fact]
    public void TheLossFollowsTheModelConfigsCtcZeroInfinity()
    {
        // "a b c …" spelt out needs more frames than input2.wav has: its CTC loss is infinite.
        var tooLong = string.Join(" ", Enumerable.Repeat("a b c d e f g h i j k l m n o p q r s t u v w x y z", 6));
        double Loss(bool zeroInfinity)
        {
            using var model = FixtureModel(c => c with { CtcZeroInfinity = zeroInfinity, CtcLossReduction = "sum" });
            using var batch = FixtureBatch(null!, tooLong);
            return CtcStep.Run(model, AdamW(model, lr: 0), [batch], step: 0, new CtcStepOptions()).Loss;
        }
        Assert.Equal(double.PositiveInfinity, Loss(zeroInfinity: false));
        Assert.True(double.IsFinite(Loss(zeroInfinity: true)));
    }

    [Fact]
    public void WithoutApplySpecAugmentNothingIsMasked()
    {
        // Masking p = 1 replaces every frame by the mask embedding, so the loss differs from the unmasked one, unless
        // the config turns SpecAugment off.
        double Loss(bool apply)
        {
            using var model = FixtureModel(c => c with { ApplySpecAugment = apply, MaskTimeProb = 1.0 });
            using var batch = FixtureBatch();
            return CtcStep.Run(model, AdamW(model, lr: 0), [batch], step: 0, new CtcStepOptions(TimeMasking: new MaskingOptions(1.0, 2))).Loss;
        }
        double Unmasked()
        {
            using var model = FixtureModel();
            using var batch = FixtureBatch();
            return CtcStep.Run(model, AdamW(model, lr: 0), [batch], step: 0, new CtcStepOptions()).Loss;
        }
        Assert.Equal(Unmasked(), Loss(apply: false), 6);
        Assert.NotEqual(Unmasked(), Loss(apply: true), 2);
    }
}
