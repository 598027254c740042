using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Tests.Ctc;
using System.Reactive.Linq;
using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public class FineTuningRunTests
{
    /// <summary>A two-utterance labelled split over the parity fixture's WAVs, written as fairseq manifests.</summary>
    static string WriteManifests(string folder)
    {
        var manifests = Path.Combine(folder, "manifests");
        var entries = new[]
        {
            new ManifestEntry("input.wav", 46536, "THE|QUICK|BROWN|FOX|JUMPS|OVER|THE|LAZY|DOG", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG"),
            new ManifestEntry("input2.wav", 41498, "SPEECH|RECOGNITION|WITHOUT|TRANSCRIPTS", "SPEECH RECOGNITION WITHOUT TRANSCRIPTS"),
        };
        foreach (var split in new[] { "train", "dev" }) ManifestFiles.Write(manifests, split, new Manifest(CtcFixtures.Folder, entries));
        return manifests;
    }

    [Fact]
    public async Task FineTuningAnHfCheckpointOntoAWelshVocabularyReplacesTheHeadAndSavesLoadableBestAndFinalModels()
    {
        var folder = Directory.CreateTempSubdirectory("wav2vec-finetune-").FullName;
        try
        {
            var manifests = WriteManifests(folder);
            // Language "cy" and a vocabulary built from the corpus: lower-case letters, so a new lm_head.
            var experiment = new FinetuneExperiment
            {
                Name = "cy", Pretrained = CtcFixtures.Folder, Vocabulary = "corpus", Language = "cy",
                Corpus = new CorpusSpec { Folder = manifests, Train = "train", Dev = "dev", Test = null },
                Optimizer = new OptimizerSpec { LearningRate = 1e-3, WarmupRatio = 0.1, HoldRatio = 0.4, DecayRatio = 0.5 },
                Steps = 4, FreezeTransformerSteps = 2, BatchSamples = 6 * 16000, Seed = 3, Device = "cpu",
                Output = new OutputSpec { Folder = Path.Combine(folder, "out"), EvaluateEvery = 2 },
            };
            var reports = await Experiment.Run(experiment).ToList();

            Assert.Equal(4, reports[^1].Step);
            Assert.Equal([2L, 4], reports.Where(r => r.Metric(MetricNames.Wer) is not null).Select(r => r.Step));
            var run = Experiment.Folder(experiment);
            using var best = CtcRecognizer.Load(Path.Combine(run.Path, "best"));
            Assert.Equal(best.Vocabulary.Count, best.Model.Config.VocabSize);
            Assert.NotNull(best.Vocabulary.IdOf("t"));
            Assert.Null(best.Vocabulary.IdOf("T"));
            using var final = CtcRecognizer.Load(run.Final);
            Assert.Equal(best.Vocabulary, final.Vocabulary);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
