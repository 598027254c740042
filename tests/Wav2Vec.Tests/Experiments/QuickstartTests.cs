using System.Reactive.Linq;
using System.Text.Json.Nodes;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Tests.Reliability;
using Wav2Vec.Tools.Notebooks;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// The quickstart's comparison: two fine-tuning descriptions that differ only in where the network comes from, a
/// summary of both test results, a report, and one clear error when the shipped model is missing.
/// </summary>
public sealed class QuickstartTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("wav2vec-quickstart-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    static string Described(string file) => Path.Combine(AppContext.BaseDirectory, file);

    static QuickstartPlan RepositoryPlan() => QuickstartPlan.Load(Described(QuickstartPlan.PretrainedFile), Described(QuickstartPlan.ScratchFile));

    string Save(FinetuneExperiment arm)
    {
        var path = Path.Combine(temp, arm.Name + ".json");
        ExperimentJson.Save(arm, path);
        return path;
    }

    [Fact]
    public void TheRepositoryArmsStartFromTheShippedModelAndFromATinyNetworkOfItsArchitecture()
    {
        var plan = RepositoryPlan();
        Assert.Equal("models/tiny-tts-en-10h-continuous", plan.Pretrained.Pretrained);
        Assert.Equal(Wav2Vec2Presets.Tiny(), plan.Scratch.Model);
        Assert.Equal("train-10min", plan.Pretrained.Corpus.Train);
        Assert.Equal("test", plan.TestSplit);
        Assert.Equal(Path.Combine("runs", "quickstart"), plan.Folder);
        // The shipped model and its recipe are a Tiny network too (with fewer negatives, which fine-tuning does not use).
        var pretraining = ExperimentJson.Load<PretrainExperiment>(Described("experiments/pretrain-tiny-10h-continuous-long.json"));
        plan.RequireArchitecture(pretraining.ResolvedModel, "pretrain-tiny-10h-continuous-long.json");
        var shipped = Path.Combine(NotebookPaths.Find(AppContext.BaseDirectory).Root, plan.Pretrained.Pretrained!);
        (plan with { Pretrained = plan.Pretrained with { Pretrained = shipped } }).RequireModel("unused: the model is there");
    }

    [Theory]
    [InlineData("steps")]
    [InlineData("optimizer.learningRate")]
    [InlineData("seed")]
    public void ArmsThatDifferInMoreThanTheirNetworkAreRefusedNamingTheField(string field)
    {
        var plan = RepositoryPlan();
        var scratch = field switch
        {
            "steps" => plan.Scratch with { Steps = 999 },
            "seed" => plan.Scratch with { Seed = 2 },
            _ => plan.Scratch with { Optimizer = plan.Scratch.Optimizer with { LearningRate = 1e-3 } },
        };
        var file = Save(scratch);
        var error = Assert.Throws<ArgumentException>(() => QuickstartPlan.Load(Save(plan.Pretrained), file));
        Assert.StartsWith($"{file}: field '{field}' is ", error.Message);
    }

    [Fact]
    public void AScratchArmOfAnotherArchitectureIsRefusedNamingTheFields()
    {
        var plan = RepositoryPlan();
        var error = Assert.Throws<ArgumentException>(() => plan.RequireArchitecture(Wav2Vec2Presets.Small(), "models/small"));
        Assert.Contains("not the architecture of models/small", error.Message);
        Assert.Contains("hidden_size 384 ≠ 192", error.Message);
        Assert.Empty(Wav2Vec2Architecture.Differences(Wav2Vec2Presets.Tiny(), Wav2Vec2Presets.Tiny() with { NumNegatives = 20, MaskTimeProb = 0 }));
    }

    [Fact]
    public void AMissingModelFolderIsOneErrorLineAndAHintBeforeAnythingRuns()
    {
        var plan = RepositoryPlan();
        var (corpus, model) = (Path.Combine(temp, "corpus"), Path.Combine(temp, "models", "absent"));
        var pretrained = Save(plan.Pretrained with { Pretrained = model, Corpus = plan.Pretrained.Corpus with { Folder = corpus } });
        var scratch = Save(plan.Scratch with { Corpus = plan.Scratch.Corpus with { Folder = corpus } });

        var run = Cli.Run("quickstart", "--finetune-pretrained", pretrained, "--finetune-scratch", scratch);

        Assert.Equal(1, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"error: no such model directory ({model})"], lines.Take(1));
        Assert.StartsWith("hint: the quickstart fine-tunes the pre-trained model shipped in ", lines[1]);
        Assert.Contains("--pretrain", lines[1]);
        Assert.Equal(2, lines.Length);
        Assert.False(Directory.Exists(corpus), "the corpus was synthesised before the model was checked");
    }

    [Fact]
    public void ARerunAfterTheShippedModelChangedSetsThePretrainedArmAsideAndTrainsItAgain()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        try
        {
            var model = FinetuneExperimentRunTests.MicroPretrained(temp);
            var runs = Path.Combine(temp, "runs");
            var recipe = new FinetuneExperiment
            {
                Name = "arm-pretrained", Pretrained = model, Steps = 2, FreezeTransformerSteps = 1, BatchSamples = 16000 * 3, Device = "cpu",
                Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = "dev", Test = "dev" },
                Output = new OutputSpec { Folder = runs, CheckpointEvery = 2, EvaluateEvery = 2 },
            };
            string[] args = ["quickstart", "--finetune-pretrained", Save(recipe), "--finetune-scratch",
                Save(recipe with { Name = "arm-scratch", Pretrained = null, Model = FinetuneExperimentRunTests.MicroNetwork })];
            var first = Cli.Run(args);
            Assert.True(first.ExitCode == 0, first.Stderr);

            // A new version of the model under the same path, as after pulling a retrained shipped model.
            TorchRuntime.Seed(12);
            using (var other = new Wav2Vec2ForPreTraining(FinetuneExperimentRunTests.MicroNetwork)) other.SavePretrained(model);
            var second = Cli.Run(args);

            Assert.True(second.ExitCode == 0, second.Stderr);
            Assert.Contains("the run began from another model", System.Text.RegularExpressions.Regex.Replace(second.Stdout, @"\s+", " "));
            Assert.Single(Directory.GetDirectories(runs, "arm-pretrained.replaced-*"));
            Assert.Empty(Directory.GetDirectories(runs, "arm-scratch.replaced-*"));
            Assert.Equal(ModelStamp.Of(model), File.ReadAllText(Path.Combine(runs, "arm-pretrained", ModelStamp.FileName)));
            Assert.True(File.Exists(Path.Combine(runs, "quickstart", QuickstartResult.SummaryFileName)));
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }

    [Fact]
    public async Task TheSummaryHoldsTheTestRatesOfBothArmsAndTheReportShowsBoth()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        try
        {
            TorchRuntime.Seed(11);
            var pretrainedModel = Path.Combine(temp, "pretrained");
            using (var model = new Wav2Vec2ForPreTraining(FinetuneExperimentRunTests.MicroNetwork)) model.SavePretrained(pretrainedModel);
            var recipe = new FinetuneExperiment
            {
                Name = "arm-pretrained", Pretrained = pretrainedModel, Steps = 2, FreezeTransformerSteps = 1, BatchSamples = 16000 * 3, Device = "cpu",
                Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = "dev", Test = "dev" },
                Output = new OutputSpec { Folder = Path.Combine(temp, "runs"), CheckpointEvery = 2, EvaluateEvery = 2 },
            };
            var plan = new QuickstartPlan(recipe, recipe with { Name = "arm-scratch", Pretrained = null, Model = FinetuneExperimentRunTests.MicroNetwork }).Check();
            foreach (var arm in new[] { plan.Pretrained, plan.Scratch })
                await TrainingPipeline.Run(() => new Trainer(arm, log: _ => { })).LogTo(Experiment.Folder(arm)).LastAsync();

            var result = QuickstartResult.Measure(plan);
            Assert.Equal(Path.Combine(temp, "runs", "quickstart"), plan.Folder);
            var path = Path.Combine(plan.Folder, QuickstartResult.SummaryFileName);
            result.WriteSummary(path);

            var summary = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.Equal(["pretrained", "scratch"], summary.Select(kv => kv.Key));
            foreach (var (key, arm) in new[] { ("pretrained", plan.Pretrained), ("scratch", plan.Scratch) })
            {
                var best = Experiment.Folder(arm).Best;
                var expected = QuickstartArmResult.Evaluate(best, corpus, "dev");
                Assert.Equal(expected.Cer, summary[key]!["cer"]!.GetValue<double>());
                Assert.Equal(expected.Wer, summary[key]!["wer"]!.GetValue<double>());
                Assert.Equal(2, summary[key]!["steps"]!.GetValue<long>());
                Assert.Equal(3, summary[key]!["utterances"]!.GetValue<int>());
            }
            Assert.Equal(pretrainedModel, summary["pretrained"]!["startsFrom"]!.GetValue<string>());

            var html = QuickstartReport.Build(result, plan.TestSplit).ToHtml();
            Assert.Contains("arm-pretrained", html);
            Assert.Contains("arm-scratch", html);

            // A test file that no longer decodes: left out under the arm's skip policy, an error naming it under fail.
            var broken = ManifestFiles.Read(corpus, "dev");
            var bad = broken.FullPath(broken.Entries[0]);
            File.WriteAllBytes(bad, [1, 2, 3]);
            Assert.Equal(2, QuickstartArmResult.Measure(plan.Pretrained, "dev").Test.Utterances.Count);
            var failing = plan.Pretrained with { Corpus = plan.Pretrained.Corpus with { BadAudio = BadAudioPolicy.Fail } };
            Assert.Contains(bad, Assert.Throws<AudioDecodeException>(() => QuickstartArmResult.Measure(failing, "dev")).Message);
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }
}
