using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Tools.Notebooks;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// The pre-trained models shipped in <c>models/</c> (quantized targets: <c>tiny-tts-en-10h</c>; continuous targets, the
/// quickstart's: <c>tiny-tts-en-10h-continuous</c>) learned something that carries to speech they never heard: on
/// sentences they were not trained on, spoken by espeak-ng voices outside the pre-training pool (the corpus's test
/// voices), each picks the true target of a masked frame among K + 1 candidates far more often than chance,
/// while the same architecture with random weights stays near chance. Eval mode, a fixed mask and fixed distractors.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class ShippedModelTests
{
    static readonly string[] UnheardSentences =
    [
        "Quietly the librarian stacked the returned novels on the wooden cart.",
        "Our neighbour painted the garden fence a bright shade of yellow yesterday.",
        "Two engineers argued about the bridge design until midnight.",
        "The museum opens at nine and closes early on public holidays.",
        "A careful driver checks the mirrors before changing lanes on the motorway.",
        "Fresh bread and warm soup were waiting for the tired hikers.",
    ];

    [Theory]
    [InlineData("tiny-tts-en-10h")]
    [InlineData("tiny-tts-en-10h-continuous")]
    public void TheShippedModelPredictsMaskedFramesOfUnheardVoicesAndSentencesFarAboveChance(string name)
    {
        TorchRuntime.Initialize();
        var root = NotebookPaths.Find(AppContext.BaseDirectory).Root;
        var folder = Path.Combine(root, "models", name);
        var experiment = ExperimentJson.Load<PretrainExperiment>(Path.Combine(folder, "experiment.json"));
        var continuous = experiment.Objective.ContinuousTargets;
        using var shipped = Wav2Vec2Checkpoint.LoadPreTraining(folder, continuousTargets: continuous).Model;
        Assert.Equal(torch.ScalarType.Float32, shipped.parameters().First().dtype);

        var audio = SyntheticSpeech.Corpus(UnheardSentences, [("en-gb+m3", 165, 45), ("en-gb-x-rp+f2", 150, 55)]);
        var utterances = audio.Select((samples, i) => new AudioUtterance(new Utterance($"unheard-{i}", "", samples.Length, ""), samples)).ToList();
        var probe = DevProbe.FromAudio(utterances, shipped.Config, experiment.Masking, ObjectiveOptions.From(shipped.Config), cropSamples: 48_000, seed: 0);

        var learned = probe.Measure(shipped);
        torch.manual_seed(1);
        using var random = new Wav2Vec2ForPreTraining(shipped.Config, continuous);
        var untrained = probe.Measure(random);

        // Chance counts the distractors left: 1/21 when none equals its positive, little above it for a codebook
        // that has not collapsed (a collapsed one would push it towards 1).
        Assert.InRange(learned.ChanceAccuracy, 1.0 / 21 - 1e-12, 1.1 / 21);
        Assert.True(learned.Accuracy >= 5 * learned.ChanceAccuracy,
            $"{name}: masked-frame accuracy {learned.Accuracy:F3} on unheard speech, chance {learned.ChanceAccuracy:F3}");
        Assert.True(learned.Contrastive < 0.8 * learned.ChanceContrastive, $"contrastive {learned.Contrastive:F3}, chance ln(K + 1) = {learned.ChanceContrastive:F3}");
        Assert.True(untrained.Accuracy < 2 * untrained.ChanceAccuracy, $"random weights: accuracy {untrained.Accuracy:F3}");
    }
}
