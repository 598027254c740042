using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Tools.Notebooks;

namespace Wav2Vec.Interactive;

/// <summary>
/// The parameter cell the notebooks share: smoke or full sizes, where the corpus and the runs live, and the
/// repository's experiment descriptions (<c>experiments/*.json</c>) placed there. Smoke sizes
/// (<see cref="NotebookPaths.SmokeVariable"/>=1, set by <c>./wav2vec notebooks run --smoke</c> as CI does) are a micro
/// network, a few steps and a one-minute corpus in a throwaway folder; full sizes are the descriptions as written, on
/// the repository's <c>data/tts-en</c>, with runs under <c>runs/notebooks/NOTEBOOK/</c>.
/// </summary>
/// <param name="Notebook">The notebook's name (its runs folder).</param>
/// <param name="Smoke">Smoke sizes.</param>
/// <param name="Repository">The checkout (the folder holding <c>Experiments.sln</c>).</param>
/// <param name="Work">Where corpus and runs go: a temporary folder in smoke mode, else <paramref name="Repository"/>.</param>
public sealed record NotebookParameters(string Notebook, bool Smoke, string Repository, string Work)
{
    /// <summary>Optimiser updates of every smoke run: enough to pass every checkpoint and evaluation path.</summary>
    public const int SmokeSteps = 6;

    /// <summary>True when <see cref="NotebookPaths.SmokeVariable"/> asks for smoke sizes.</summary>
    public static bool SmokeRequested => Environment.GetEnvironmentVariable(NotebookPaths.SmokeVariable) == "1";

    /// <summary>
    /// The parameters of <paramref name="notebook"/>, run from inside the checkout: empties its runs folder and
    /// synthesises the corpus when its <c>test</c> split is missing (seconds in smoke mode, minutes in full mode).
    /// </summary>
    public static NotebookParameters Prepare(string notebook)
    {
        var repository = NotebookPaths.Find().Root;
        var smoke = SmokeRequested;
        var work = smoke ? Path.Combine(Path.GetTempPath(), $"wav2vec-nb-{Environment.ProcessId}") : repository;
        var parameters = new NotebookParameters(notebook, smoke, repository, work);
        if (Directory.Exists(parameters.Runs)) Directory.Delete(parameters.Runs, recursive: true);
        Directory.CreateDirectory(parameters.Runs);
        if (!File.Exists(ManifestFiles.TsvPath(parameters.CorpusFolder, "test")))
            CorpusSynthesizer.Synthesize(new CorpusOptions(parameters.CorpusFolder, Hours: parameters.CorpusHours, Seed: 0));
        return parameters;
    }

    /// <summary>The synthetic TTS corpus (splits <c>train</c>, <c>train-10min</c>, <c>train-1h</c>, <c>dev</c>, <c>test</c>).</summary>
    public string CorpusFolder => Smoke ? Path.Combine(Work, "corpus") : Path.Combine(Work, "data", "tts-en");

    /// <summary>Hours of the training pool when the corpus has to be synthesised (the quickstart's 0.5 h; one minute when smoke).</summary>
    public double CorpusHours => Smoke ? 1.0 / 60 : 0.5;

    /// <summary>This notebook's run folders.</summary>
    public string Runs => Path.Combine(Work, "runs", "notebooks", Notebook);

    /// <summary>
    /// The pre-training description <c>experiments/NAME.json</c> on this notebook's corpus and runs folder, over
    /// <paramref name="steps"/> updates when given (see <see cref="ExperimentSteps"/>); smoke: a micro network, 1 s crops
    /// and <see cref="SmokeSteps"/> steps.
    /// </summary>
    public PretrainExperiment Pretraining(string name = "quickstart-pretrain", int? steps = null)
    {
        var described = ExperimentJson.Load<PretrainExperiment>(ExperimentFile(name));
        var placed = described with
        {
            Corpus = described.Corpus with { Folder = CorpusFolder },
            Output = described.Output with { Folder = Runs },
        };
        return Smoke
            ? placed.WithSteps(SmokeSteps) with
            {
                Model = Micro(placed.Model), Masking = placed.Masking with { Length = 5 }, BatchSamples = 16000 * 3, CropSamples = 16000,
            }
            : placed.WithSteps(steps ?? placed.Steps);
    }

    /// <summary>
    /// The fine-tuning description <c>experiments/NAME.json</c> starting from <paramref name="pretrained"/>, on this
    /// notebook's corpus and runs folder, over <paramref name="steps"/> updates when given; smoke: <see cref="SmokeSteps"/>
    /// steps of 4 s batches.
    /// </summary>
    public FinetuneExperiment Finetuning(string pretrained, string name = "quickstart-finetune", int? steps = null)
    {
        var described = ExperimentJson.Load<FinetuneExperiment>(ExperimentFile(name));
        var placed = described with
        {
            Pretrained = pretrained,
            Corpus = described.Corpus with { Folder = CorpusFolder },
            Output = described.Output with { Folder = Runs },
        };
        return Smoke ? placed.WithSteps(SmokeSteps) with { BatchSamples = 16000 * 4 } : placed.WithSteps(steps ?? placed.Steps);
    }

    /// <summary>The description file <c>experiments/NAME.json</c> of this checkout.</summary>
    public string ExperimentFile(string name) => Path.Combine(Repository, "experiments", name + ".json");

    /// <summary>
    /// A micro network of the same kind (32 channels, two layers, 2 × 16 codes) that trains a step in well under a
    /// second on one core: smoke runs exercise every path without learning anything.
    /// </summary>
    public static Wav2Vec2Config Micro(Wav2Vec2Config config) => config with
    {
        ConvDim = [32, 32, 32, 32, 32, 32, 32], HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2,
        IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 16, CodevectorDim = 32, ProjCodevectorDim = 32, NumNegatives = 8,
    };

    /// <summary>Deletes the throwaway folder of a smoke run; full runs keep their corpus and runs.</summary>
    public void CleanUp()
    {
        if (Smoke && Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
    }

    /// <summary>One line for the parameter cell's output.</summary>
    public override string ToString() =>
        $"{Notebook}: {(Smoke ? $"smoke sizes ({SmokeSteps} steps per run)" : "full sizes")}; corpus {CorpusFolder}; runs {Runs}";
}
