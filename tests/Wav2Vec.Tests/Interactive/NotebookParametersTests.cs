using Wav2Vec.Experiments;
using Wav2Vec.Interactive;
using Wav2Vec.Tools.Notebooks;

namespace Wav2Vec.Tests.Interactive;

/// <summary>The notebooks' shared parameter cell: the repository's descriptions, placed and sized for a notebook.</summary>
public class NotebookParametersTests
{
    static readonly string Repository = NotebookPaths.Find(AppContext.BaseDirectory).Root;

    static NotebookParameters Parameters(bool smoke) =>
        new("99-test", smoke, Repository, smoke ? "/tmp/wav2vec-nb-test" : Repository);

    static PretrainExperiment DescribedPretraining() =>
        ExperimentJson.Load<PretrainExperiment>(Path.Combine(Repository, "experiments", "quickstart-pretrain.json"));

    static FinetuneExperiment DescribedFinetuning() =>
        ExperimentJson.Load<FinetuneExperiment>(Path.Combine(Repository, "experiments", "quickstart-finetune.json"));

    [Fact]
    public void FullSizesAreTheDescriptionAsWrittenOnTheNotebooksCorpusAndRunsFolder()
    {
        var nb = Parameters(smoke: false);
        var described = DescribedPretraining();
        var placed = nb.Pretraining("quickstart-pretrain");
        Assert.Equal(Path.Combine(Repository, "data", "tts-en"), placed.Corpus.Folder);
        Assert.Equal(Path.Combine(Repository, "runs", "notebooks", "99-test"), placed.Output.Folder);
        Assert.Equal(described with { Corpus = placed.Corpus, Output = placed.Output }, placed);
        Assert.Equal(described.Corpus with { Folder = placed.Corpus.Folder }, placed.Corpus);
        Assert.Equal(described.Output with { Folder = placed.Output.Folder }, placed.Output);
    }

    [Fact]
    public void FineTuningStartsFromTheGivenModelAndKeepsTheRecipeOverFewerSteps()
    {
        var described = DescribedFinetuning();
        var placed = Parameters(smoke: false).Finetuning("/models/pre", steps: described.Steps / 2);
        Assert.Equal("/models/pre", placed.Pretrained);
        Assert.Equal(described.Steps / 2, placed.Steps);
        Assert.Equal(described.FreezeTransformerSteps / 2, placed.FreezeTransformerSteps);
        Assert.Equal(described.Output.CheckpointEvery / 2, placed.Output.CheckpointEvery);
        Assert.Equal(described.Output.EvaluateEvery / 2, placed.Output.EvaluateEvery);
        Assert.Equal(described.Optimizer, placed.Optimizer);
        Assert.Equal(described.TimeMasking, placed.TimeMasking);
        Assert.Equal(described.BestBy, placed.BestBy);
    }

    [Fact]
    public void SmokeSizesShrinkTheNetworkTheStepsAndTheBatchesButKeepTheObjective()
    {
        var nb = Parameters(smoke: true);
        var described = DescribedPretraining();
        var smoke = nb.Pretraining();
        Assert.Equal(NotebookParameters.SmokeSteps, smoke.Steps);
        Assert.Equal(32, smoke.Model.HiddenSize);
        Assert.True(smoke.BatchSamples < described.BatchSamples && smoke.CropSamples < described.CropSamples);
        Assert.Equal(described.Masking.Prob, smoke.Masking.Prob);
        Assert.Equal(described.Temperature, smoke.Temperature);
        Assert.Equal(described.Optimizer, smoke.Optimizer);
        Assert.Equal(Path.Combine("/tmp/wav2vec-nb-test", "corpus"), smoke.Corpus.Folder);
        Assert.Equal(NotebookParameters.SmokeSteps, nb.Finetuning("/models/pre", steps: 300).Steps);
    }

    [Fact]
    public void AMissingDescriptionIsAnErrorNamingTheFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Parameters(smoke: false).Pretraining("no-such-recipe"));
        Assert.Contains(Path.Combine(Repository, "experiments", "no-such-recipe.json"), error.Message);
    }

    [Fact]
    public void StepCountedSettingsKeepTheirShareOfTheRunAndNeverReachZeroWhereZeroMeansSomethingElse()
    {
        var described = DescribedFinetuning() with
        {
            Steps = 1000, FreezeTransformerSteps = 50,
            Output = new OutputSpec { CheckpointEvery = 250, EvaluateEvery = 0 },
        };
        Assert.Equal(described, described.WithSteps(1000));
        var brief = described.WithSteps(4);
        Assert.Equal((4, 0, 1, 0), (brief.Steps, brief.FreezeTransformerSteps, brief.Output.CheckpointEvery, brief.Output.EvaluateEvery));
        var longer = described.WithSteps(3000);
        Assert.Equal((150, 750), (longer.FreezeTransformerSteps, longer.Output.CheckpointEvery));
        Assert.Throws<ArgumentOutOfRangeException>(() => described.WithSteps(0));
    }
}
