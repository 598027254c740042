using System.Reactive.Linq;
using Wav2Vec.Data;
using Wav2Vec.Errors;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Sinks;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public class RunStartTests
{
    [Fact]
    public async Task ResumingTrimsTheLogsOfARunWhoseNameHoldsACommaToItsNewestCheckpoint()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var output = Path.Combine(corpus, "runs");
        var experiment = PretrainingRunTests.Micro(corpus, output, "micro, \"resumed\"") with
        {
            Output = new OutputSpec { Folder = output, CheckpointEvery = 2, KeepLast = 3 },
        };
        var folder = Experiment.Folder(experiment);
        await experiment.Run().LogTo(folder).LastAsync();
        // As if killed after logging step 6 but before its checkpoint was complete.
        Directory.Delete(Path.Combine(folder.Checkpoints, CheckpointStore.NameFor(6)), recursive: true);

        await experiment.Run(resume: true).LogTo(folder).LastAsync();

        var csv = File.ReadAllLines(folder.MetricsCsv);
        Assert.Equal([1L, 2, 3, 4, 5, 6], csv.Skip(1).Select(line => long.Parse(CsvLog.Fields(line)[2])));
        Assert.All(csv.Skip(1), line => Assert.Equal(experiment.Name, CsvLog.Fields(line)[0]));
        Assert.Equal([1L, 2, 3, 4, 5, 6], JsonLinesLog.Read(folder.MetricsJsonl).Select(r => r.Step));
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task ResumingWithAChangedDescriptionIsRefusedNamingTheFieldWhileTheOutputCadenceMayChange()
    {
        var corpus = TinyCorpus.Create(count: 6);
        var output = Path.Combine(corpus, "runs");
        var experiment = PretrainingRunTests.Micro(corpus, output, "changed") with
        {
            Steps = 2,
            Output = new OutputSpec { Folder = output, CheckpointEvery = 1, KeepLast = 3 },
        };
        var folder = Experiment.Folder(experiment);
        await experiment.Run().LogTo(folder).LastAsync();
        var before = File.ReadAllText(folder.MetricsJsonl);

        var changed = experiment with { Optimizer = experiment.Optimizer with { LearningRate = experiment.Optimizer.LearningRate * 2 } };
        var refused = ErrorReport.From(await Assert.ThrowsAsync<HintedException>(async () => await changed.Run(resume: true).LastAsync()));
        Assert.Equal(folder.Description, refused.Where);
        Assert.Equal("the run began with another description (field 'optimizer.learningRate' differs)", refused.What);
        Assert.Contains("--resume", refused.Hint);
        Assert.Equal(before, File.ReadAllText(folder.MetricsJsonl));
        Assert.Null(folder.DescriptionDiffers(experiment with { Output = experiment.Output with { CheckpointEvery = 5, KeepLast = 1 } }));

        // The description saved in the folder resumes its own run (here: nothing left to do but the same last step).
        var saved = ExperimentJson.Load(folder.Description);
        Assert.Null(folder.DescriptionDiffers(saved));
        Assert.Equal(2, (await saved.Run(resume: true).LastOrDefaultAsync())?.Step ?? 2);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AFineTuningRunIsNotContinuedFromAModelThatChangedUnderTheSamePath()
    {
        var corpus = TinyCorpus.Create(labelled: true);
        var pretrained = FinetuneExperimentRunTests.MicroPretrained(corpus);
        var experiment = FinetuneExperimentRunTests.Micro(corpus, pretrained, "stamped") with { Steps = 2 };
        var folder = Experiment.Folder(experiment);
        await experiment.Run().LogTo(folder).LastAsync();
        Assert.Equal(ModelStamp.Of(pretrained), File.ReadAllText(folder.PretrainedStamp));
        Assert.Null(folder.StartDiffers(experiment));

        // A new version of the model under the same path (other weights): the finished run is no longer this description's.
        TorchRuntime.Seed(12);
        using (var other = new Wav2Vec2ForPreTraining(FinetuneExperimentRunTests.MicroNetwork)) other.SavePretrained(pretrained);
        Assert.Equal($"{folder.PretrainedStamp}: the run began from another model (the files in {pretrained} changed since).", folder.StartDiffers(experiment));
        var refused = ErrorReport.From(await Assert.ThrowsAsync<HintedException>(async () => await experiment.Run(resume: true).LastAsync()));
        Assert.Equal(folder.PretrainedStamp, refused.Where);
        Assert.True(SweepRuns.Status(experiment).Foreign);
        Directory.Delete(corpus, true);
    }

    [Fact]
    public async Task AMissingCorpusIsSynthesisedWhenTheDescriptionAsksForHours()
    {
        var root = Path.Combine(Path.GetTempPath(), "synth-run-" + Guid.NewGuid().ToString("N"));
        var corpus = Path.Combine(root, "corpus");
        var experiment = PretrainingRunTests.Micro(corpus, Path.Combine(root, "runs"), "synthesised") with
        {
            Corpus = new CorpusSpec { Folder = corpus, Dev = null, Test = null, SynthesizeHours = 0.5 / 60 },
            Steps = 1,
        };
        var messages = new List<string>();
        var last = await experiment.Run(log: messages.Add).LastAsync();

        Assert.Equal(1, last.Step);
        Assert.True(ManifestFiles.Read(corpus, "train").TotalSeconds >= 30);
        Assert.True(ManifestFiles.Read(corpus, "dev").IsLabelled);
        Assert.Contains(messages, m => m.Contains("synthesising"));

        var missing = Assert.Throws<FileNotFoundException>(() => new Trainer(experiment with
        {
            Name = "absent", Corpus = new CorpusSpec { Folder = Path.Combine(root, "absent"), SynthesizeHours = 0 },
        }));
        Assert.Contains("corpus.synthesizeHours", missing.Message);
        Directory.Delete(root, true);
    }
}
