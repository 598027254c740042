using System.Reactive.Linq;
using Wav2Vec.Checkpoints;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Tests.Experiments;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Checkpoints;

/// <summary>A run's checkpoint packed for <c>models/</c> with bfloat16 weights, and loaded back for fine-tuning in float32.</summary>
public sealed class ModelPackageTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("wav2vec-pack-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>A pre-training run folder as the trainer leaves it: <c>runs/micro/best</c> beside experiment.json and metrics.csv.</summary>
    (string Checkpoint, Wav2Vec2ForPreTraining Model) MicroRun()
    {
        TorchRuntime.Seed(7);
        var run = Path.Combine(temp, "runs", "micro");
        var model = new Wav2Vec2ForPreTraining(FinetuneExperimentRunTests.MicroNetwork);
        model.SavePretrained(Path.Combine(run, "best"));
        PreprocessorConfig.Write(Path.Combine(run, "best"), doNormalize: false, model.Config);
        ExperimentJson.Save(new PretrainExperiment { Name = "micro", Model = FinetuneExperimentRunTests.MicroNetwork, Steps = 20 }, Path.Combine(run, "experiment.json"));
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "step,loss\n1,4.0\n");
        return (Path.Combine(run, "best"), model);
    }

    [Fact]
    public void APackedCheckpointStoresBfloat16AndLoadsAsFloat32EqualToTheRoundedOriginals()
    {
        var (checkpoint, original) = MicroRun();
        using var _ = original;
        var package = Path.Combine(temp, "models", "micro-pack");

        var report = ModelPackage.Pack(checkpoint, package);

        var stored = StateDictFile.Read(Path.Combine(package, "model.safetensors"));
        Assert.All(stored.Values, t => Assert.Equal(ScalarType.BFloat16, t.dtype));
        Assert.Equal(new FileInfo(Path.Combine(checkpoint, "model.safetensors")).Length / 2, report.WeightBytes, 4096.0);
        foreach (var file in new[] { "config.json", "preprocessor_config.json", "experiment.json", "metrics.csv", "README.md" })
            Assert.True(File.Exists(Path.Combine(package, file)), file);
        var readme = File.ReadAllText(Path.Combine(package, "README.md"));
        Assert.Contains("bfloat16", readme);
        Assert.Contains("/experiment.json", readme);
        Assert.Contains("model pack runs/micro/best --out ", readme);

        var loaded = Wav2Vec2Checkpoint.LoadCtc(package);
        using var ctc = loaded.Model;
        var expected = original.state_dict();
        foreach (var (name, weight) in ctc.Wav2Vec2.state_dict())
        {
            Assert.Equal(ScalarType.Float32, weight.dtype);
            using var rounded = expected[StateDictLoader.NetworkPrefix + name].to(ScalarType.BFloat16).to(ScalarType.Float32);
            Assert.True(weight.eq(rounded).all().item<bool>(), $"'{name}' is not the bfloat16-rounded original");
        }
        foreach (var t in stored.Values) t.Dispose();
    }

    [Fact]
    public async Task FineTuningStartsFromAPackedCheckpoint()
    {
        var (checkpoint, original) = MicroRun();
        original.Dispose();
        var package = Path.Combine(temp, "models", "micro-pack");
        ModelPackage.Pack(checkpoint, package);
        var corpus = TinyCorpus.Create(labelled: true);
        try
        {
            var finetune = new FinetuneExperiment
            {
                Name = "from-pack", Pretrained = package, Steps = 1, FreezeTransformerSteps = 0, BatchSamples = 16000 * 3, Device = "cpu",
                Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = null, Test = null },
                Output = new OutputSpec { Folder = Path.Combine(temp, "runs") },
            };
            var reports = await TrainingPipeline.Run(() => new Trainer(finetune, log: _ => { })).ToList();
            Assert.True(double.IsFinite(reports.Single().Metric(MetricNames.Ctc)!.Value));
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }
}
