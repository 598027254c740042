using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Tests.Ctc;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Training;

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
    public void RunTrainsEvaluatesAndSavesLoadableBestAndLastModelsWithANewVocabulary()
    {
        var folder = Directory.CreateTempSubdirectory("wav2vec-finetune-").FullName;
        try
        {
            var json = Path.Combine(folder, "experiment.json");
            WriteManifests(folder);
            // Lower-case Welsh-style letters force a new vocabulary and so a new lm_head.
            File.WriteAllText(json, $$"""
                { "pretrained": "{{CtcFixtures.Folder}}", "manifest": "manifests", "train": "train", "dev": "dev",
                  "language": "cy", "steps": 4, "learningRate": 1e-3, "batchSeconds": 6, "freezeTransformerSteps": 2,
                  "evalEvery": 2, "seed": 3, "output": "out", "device": "cpu" }
                """);
            var experiment = FineTuneExperiment.Load(json);
            Assert.Equal(Path.Combine(folder, "out"), experiment.Output);
            var lines = new List<string>();
            var result = FineTuning.Run(experiment, lines.Add);

            Assert.Equal(4, result.Updates);
            Assert.Contains(result.BestStep, new[] { 2, 4 });
            Assert.Contains(lines, l => l.StartsWith("new lm_head", StringComparison.Ordinal));
            Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "out", "metrics.jsonl")).Count(l => l.Contains("\"Wer\"")));
            using var best = CtcRecognizer.Load(result.BestDirectory);
            Assert.Equal(best.Vocabulary.Count, best.Model.Config.VocabSize);
            Assert.NotNull(best.Vocabulary.IdOf("t"));
            using var last = CtcRecognizer.Load(result.LastDirectory);
            Assert.Equal(best.Vocabulary, last.Vocabulary);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AnUnknownFieldInTheExperimentIsAnErrorNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "pretrained": "m", "manifest": "d", "learningrate_typo": 1 }""");
            var error = Assert.Throws<FormatException>(() => FineTuneExperiment.Load(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("learningrate_typo", error.Message);
        }
        finally { File.Delete(path); }
    }
}
