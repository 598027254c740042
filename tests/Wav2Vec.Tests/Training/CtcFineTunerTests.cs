using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Training;

public class CtcFineTunerTests
{
    static Wav2Vec2ForCtc FixtureModel() => Wav2Vec2ForCtc.FromPretrained(CtcFixtures.Folder);

    static LabelledBatch FixtureBatch() => new(["input", "input2"],
        [Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav"))],
        ["the quick brown fox jumps over the lazy dog", "speech recognition without transcripts"]);

    static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    static IEnumerable<string> Changed(nn.Module model, Dictionary<string, Tensor> before) =>
        model.named_parameters().Where(p => !p.parameter.detach().eq(before[p.name]).all().item<bool>()).Select(p => p.name);

    [Fact]
    public void WhileTheTransformerIsFrozenOnlyLmHeadTrainsAndTheFeatureEncoderNever()
    {
        using var model = FixtureModel();
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        var settings = new FineTuneSettings(Steps: 10, LearningRate: 1e-3, FreezeTransformerSteps: 1,
            TimeMasking: new MaskingOptions(0.05, 5, MinMasks: 1), ChannelMasking: new MaskingOptions(0.05, 8));
        using var tuner = new CtcFineTuner(model, tokenizer, settings);
        var before = Snapshot(model);
        var first = tuner.Step(FixtureBatch());
        Assert.True(first.TransformerFrozen);
        Assert.False(first.Skipped);
        Assert.Equal(["lm_head.bias", "lm_head.weight"], Changed(model, before).Order());

        var second = tuner.Step(FixtureBatch());
        Assert.False(second.TransformerFrozen);
        var changed = Changed(model, before).ToList();
        Assert.Contains("wav2vec2.encoder.layers.0.attention.q_proj.weight", changed);
        Assert.DoesNotContain(changed, name => name.StartsWith("wav2vec2.feature_extractor.", StringComparison.Ordinal));
    }

    [Fact]
    public void ANonFiniteLossSkipsTheUpdateAndIsCounted()
    {
        using var model = FixtureModel();
        using (no_grad()) model.LmHead.bias!.fill_(double.NaN);
        using var tuner = new CtcFineTuner(model, new Tokenizer(Vocabulary.English, TranscriptNormalizer.English), new FineTuneSettings(Steps: 5));
        var before = Snapshot(model);
        var report = tuner.Step(FixtureBatch());
        Assert.True(report.Skipped);
        Assert.Equal(1, tuner.SkippedUpdates);
        Assert.Equal(1, tuner.Updates);
        Assert.Equal(["lm_head.bias"], Changed(model, before));
    }

    [Fact]
    public void GradientsAreClippedToTheConfiguredNorm()
    {
        using var model = FixtureModel();
        var settings = new FineTuneSettings(Steps: 5, LearningRate: 1e-3, ClipNorm: 1e-3);
        using var tuner = new CtcFineTuner(model, new Tokenizer(Vocabulary.English, TranscriptNormalizer.English), settings);
        var report = tuner.Step(FixtureBatch());
        Assert.True(report.GradNorm > 1e-3, $"pre-clip norm {report.GradNorm}");
        var clipped = Math.Sqrt(model.parameters().Where(p => p.grad is not null).Sum(p => p.grad!.pow(2).sum().item<float>()));
        Assert.InRange(clipped, 0, 1.01e-3);
    }

    [Fact]
    public void ATranscriptWithALetterOutsideTheVocabularyIsAnErrorNamingTheUtterance()
    {
        using var model = FixtureModel();
        using var tuner = new CtcFineTuner(model, new Tokenizer(Vocabulary.English, TranscriptNormalizer.English), new FineTuneSettings());
        var batch = FixtureBatch() with { Transcripts = ["route 66", "fine"] };
        var error = Assert.Throws<FormatException>(() => tuner.Step(batch));
        Assert.Contains("utterance input:", error.Message);
    }
}
