using System.Reactive.Linq;
using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>
/// Pre-training as a <see cref="ITrainingTask"/>: a fresh <see cref="Wav2Vec2ForPreTraining"/> (or
/// <see cref="Wav2Vec2ForBestRq"/> for the BEST-RQ objective; or the checkpoint's; with continuous targets when the
/// objective says so, and Gumbel noise as it says), batches cropped to their shortest
/// utterance, <see cref="PretrainingStep.Run"/> (or <see cref="BestRqStep.Run"/>) as the step, and the fixed dev batch
/// of <see cref="DevProbe"/> as its evaluation when the corpus has a dev split (either objective).
/// </summary>
sealed class PretrainingTask : ITrainingTask
{
    readonly PretrainExperiment experiment;
    readonly Wav2Vec2ForPreTraining? model;
    readonly Wav2Vec2ForBestRq? bestRq;
    readonly PretrainingStepOptions options;
    readonly DevProbe? devProbe;

    public PretrainingTask(PretrainExperiment experiment, TaskContext context)
    {
        this.experiment = experiment;
        Train = ManifestFiles.Read(experiment.Corpus.Folder, experiment.Corpus.Train);
        options = new PretrainingStepOptions(experiment.Masking, ObjectiveOptions.From(experiment.ResolvedModel, experiment.FeaturePenaltyWeight),
            experiment.Temperature, experiment.Optimizer.ClipNorm, experiment.Seed, experiment.DiagnosticsEvery, experiment.Objective.GumbelNoise);
        ReceptiveField = (int)FrameLengths.ReceptiveField(experiment.ResolvedModel.ConvKernel, experiment.ResolvedModel.ConvStride);
        if (experiment.Objective.IsBestRq) bestRq = CreateBestRq(experiment, context, Train);
        else
        {
            var continuous = experiment.Objective.ContinuousTargets;
            model = context.ResumeFrom is { } checkpoint ? Resume(checkpoint, continuous, context.Log)
                : experiment.InitFrom is { } init ? Initialise(init, experiment, context.Log)
                : new Wav2Vec2ForPreTraining(experiment.ResolvedModel, continuous);
            model.to(context.Device);
        }
        if (experiment.Corpus.Dev is not { } dev) return;
        try
        {
            // Dev crops come through the run's own data path (decoding limits, silence trimming, standardisation).
            var probe = new DevProbeOptions(experiment.DevUtterances, experiment.CropSamples, Seed: 0);
            var manifest = context.Usable(dev, ManifestFiles.Read(experiment.Corpus.Folder, dev),
                DecodeOptions.Default with { MaxSeconds = experiment.Corpus.MaxSeconds, MinSamples = ReceptiveField });
            devProbe = DevProbe.FromManifest(manifest, ManifestFiles.TsvPath(experiment.Corpus.Folder, dev), experiment.ResolvedModel,
                experiment.Masking, options.Objective, probe, u => u.Prepare(experiment.Corpus, ReceptiveField));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// A BEST-RQ model: the checkpoint's (every tensor, the frozen projection, codebook and encoder copy included), or
    /// <see cref="PretrainExperiment.InitFrom"/>'s network with a fresh head, or a fresh one. With <c>cnn-frozen</c>
    /// features the frozen encoder copies the network the run starts from.
    /// </summary>
    static Wav2Vec2ForBestRq CreateBestRq(PretrainExperiment experiment, TaskContext context, Manifest train)
    {
        Wav2Vec2ForBestRq Create(Wav2Vec2Config config) => new(config, experiment.Objective);
        Wav2Vec2ForBestRq created;
        if (context.ResumeFrom is { } checkpoint) created = Loaded(Wav2Vec2Checkpoint.Load(checkpoint, KeyMatching.Strict, null, Create), context.Log, "");
        else if (experiment.InitFrom is { } init)
        {
            PreprocessorConfig.RequireSameNormalization(init, experiment.Corpus.Normalize, $"{init} (initFrom)");
            created = Loaded(Wav2Vec2Checkpoint.Load(init, KeyMatching.SharedNetwork, null, _ => Create(experiment.ResolvedModel)), context.Log, "initFrom: ");
            created.FreezeTargetEncoder();
            if (created.BestRq.FrozenEncoder is not null) context.Log($"initFrom: the cnn-frozen targets come from {init}'s feature encoder, frozen");
        }
        else created = Create(experiment.ResolvedModel);
        created.to(context.Device);
        if (context.ResumeFrom is null && experiment.Objective.LearnsCodebook) FitCodebook(created, experiment, train, context.Log);
        return created;
    }

    /// <summary>
    /// The k-means codebook of a fresh (or <c>initFrom</c>) BEST-RQ run, fitted to a seeded choice of the training
    /// pool's utterances, prepared as the run's batches are (<see cref="CorpusAudio.Prepare"/>; a file the corpus's
    /// policy skips is left out here and named by the batches); a resume reads the saved codebook instead.
    /// </summary>
    static void FitCodebook(Wav2Vec2ForBestRq model, PretrainExperiment experiment, Manifest train, Action<string> log)
    {
        var objective = experiment.Objective;
        var receptiveField = (int)FrameLengths.ReceptiveField(model.Config.ConvKernel, model.Config.ConvStride);
        var chosen = SeededRandom.Shuffle(train.Entries, objective.Seed, "kmeans-codebook").Take(objective.CodebookUtterances)
            .Select(e => new Utterance(e.Id, train.FullPath(e), e.NumSamples));
        var used = 0;
        var audio = chosen.ToObservable().Prepare(experiment.Corpus, receptiveField).ToEnumerable().Select(u =>
        {
            used++;
            return u.Samples;
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var fit = model.FitCodebook(audio, objective);
        log($"k-means codebook: {objective.CodebookSize} centroids of the {objective.Features} features of {used} training " +
            $"utterances in {started.Elapsed.TotalSeconds:F0} s; mean cosine to the centroid {fit.MeanCosine:F3}, " +
            $"{fit.UsedCodes} codes used, perplexity {fit.Perplexity:F1}");
    }

    static TModel Loaded<TModel>(LoadedModel<TModel> loaded, Action<string> log, string prefix) where TModel : torch.nn.Module
    {
        log(prefix + loaded.Report);
        return loaded.Model;
    }

    static Wav2Vec2ForPreTraining Resume(string checkpoint, bool continuousTargets, Action<string> log) =>
        Loaded(Wav2Vec2Checkpoint.LoadPreTraining(checkpoint, continuousTargets: continuousTargets), log, "");

    /// <summary>The description's architecture with <paramref name="directory"/>'s weights (continued pre-training).</summary>
    static Wav2Vec2ForPreTraining Initialise(string directory, PretrainExperiment experiment, Action<string> log)
    {
        PreprocessorConfig.RequireSameNormalization(directory, experiment.Corpus.Normalize, $"{directory} (initFrom)");
        return Loaded(Wav2Vec2Checkpoint.Load(directory, KeyMatching.SharedNetwork, null,
            _ => new Wav2Vec2ForPreTraining(experiment.ResolvedModel, experiment.Objective.ContinuousTargets)), log, "initFrom: ");
    }

    public Phase Phase => Phase.Pretrain;

    public torch.nn.Module Model => (torch.nn.Module?)bestRq ?? model!;

    public Wav2Vec2Model Network => bestRq?.Wav2Vec2 ?? model!.Wav2Vec2;

    /// <summary>Biases, norms and the codebook, which fairseq leaves out of weight decay.</summary>
    public IEnumerable<string> DefaultNoDecay => [.. Optimizers.DefaultNoDecay, "quantizer.codevectors"];

    public Manifest Train { get; }

    public int ReceptiveField { get; }

    public Func<AudioUtterance, int>? BatchLength => u => Math.Min(u.Length, experiment.CropSamples);

    public IObservable<CollatedBatch> Collate(IObservable<IReadOnlyList<AudioUtterance>> batches, long seed) =>
        batches.CropToShortest(seed, experiment.CropSamples);

    public UpdateReport Step(torch.optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step) =>
        bestRq is not null
            ? BestRqStep.Run(bestRq, optimizer, batches, step, options.Masking, options.MaxGradNorm, options.Seed)
            : PretrainingStep.Run(model!, optimizer, batches, step, options);

    public bool Evaluates => devProbe is not null;

    /// <summary>
    /// On the fixed dev batch (<see cref="DevProbe"/>): masked-frame accuracy, contrastive loss and diagnostics, or for
    /// BEST-RQ masked-frame accuracy, cross-entropy, code perplexity and chance level.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> Evaluate() =>
        devProbe is null ? [] : bestRq is not null ? [.. devProbe.Measure(bestRq).ToMetrics()] : [.. devProbe.Measure(model!).ToMetrics()];

    public void Save(string directory)
    {
        if (bestRq is not null) Wav2Vec2Checkpoint.Save(bestRq, bestRq.Config, directory);
        else model!.SavePretrained(directory);
        PreprocessorConfig.Write(directory, experiment.Corpus.Normalize, bestRq?.Config ?? model!.Config);
    }

    public void Dispose()
    {
        model?.Dispose();
        bestRq?.Dispose();
    }
}
