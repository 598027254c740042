using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>
/// Pre-training as a <see cref="ITrainingTask"/>: a fresh <see cref="Wav2Vec2ForPreTraining"/> (or the checkpoint's),
/// batches cropped to their shortest utterance, <see cref="PretrainingStep.Run"/> as the step, and the fixed dev batch
/// of <see cref="DevProbe"/> as its evaluation when the corpus has a dev split.
/// </summary>
sealed class PretrainingTask : ITrainingTask
{
    readonly PretrainExperiment experiment;
    readonly Wav2Vec2ForPreTraining model;
    readonly PretrainingStepOptions options;
    readonly DevProbe? devProbe;

    public PretrainingTask(PretrainExperiment experiment, TaskContext context)
    {
        this.experiment = experiment;
        Train = ManifestFiles.Read(experiment.Corpus.Folder, experiment.Corpus.Train);
        model = context.ResumeFrom is { } checkpoint ? Resume(checkpoint, context.Log)
            : experiment.InitFrom is { } init ? Initialise(init, experiment, context.Log)
            : new Wav2Vec2ForPreTraining(experiment.ResolvedModel);
        model.to(context.Device);
        options = new PretrainingStepOptions(experiment.Masking, ObjectiveOptions.From(experiment.ResolvedModel, experiment.FeaturePenaltyWeight),
            experiment.Temperature, experiment.Optimizer.ClipNorm, experiment.Seed, experiment.DiagnosticsEvery);
        ReceptiveField = (int)FrameLengths.ReceptiveField(model.Config.ConvKernel, model.Config.ConvStride);
        if (experiment.Corpus.Dev is not { } dev) return;
        try
        {
            var probe = new DevProbeOptions(experiment.DevUtterances, experiment.CropSamples, Seed: 0, Normalize: experiment.Corpus.Normalize);
            var manifest = context.Usable(dev, ManifestFiles.Read(experiment.Corpus.Folder, dev),
                (probe.Decode ?? DecodeOptions.Default) with { MinSamples = ReceptiveField });
            devProbe = DevProbe.FromManifest(manifest, ManifestFiles.TsvPath(experiment.Corpus.Folder, dev), experiment.ResolvedModel,
                experiment.Masking, options.Objective, probe);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static Wav2Vec2ForPreTraining Resume(string checkpoint, Action<string> log)
    {
        var loaded = Wav2Vec2Checkpoint.LoadPreTraining(checkpoint);
        log(loaded.Report.ToString());
        return loaded.Model;
    }

    /// <summary>The description's architecture with <paramref name="directory"/>'s weights (continued pre-training).</summary>
    static Wav2Vec2ForPreTraining Initialise(string directory, PretrainExperiment experiment, Action<string> log)
    {
        if (PreprocessorConfig.DoNormalize(directory) is { } normalized && normalized != experiment.Corpus.Normalize)
            throw new ArgumentException($"field 'corpus.normalize' is {(experiment.Corpus.Normalize ? "true" : "false")}, but {directory} (initFrom) was " +
                                        $"trained {(normalized ? "on" : "without")} standardised waveforms ({PreprocessorConfig.FileName}: do_normalize = " +
                                        $"{(normalized ? "true" : "false")}); set corpus.normalize to {(normalized ? "true" : "false")}.");
        var loaded = Wav2Vec2Checkpoint.Load(directory, KeyMatching.SharedNetwork, null, _ => new Wav2Vec2ForPreTraining(experiment.ResolvedModel));
        log($"initFrom: {loaded.Report}");
        return loaded.Model;
    }

    public Phase Phase => Phase.Pretrain;

    public torch.nn.Module Model => model;

    public Wav2Vec2Model Network => model.Wav2Vec2;

    /// <summary>Biases, norms and the codebook, which fairseq leaves out of weight decay.</summary>
    public IEnumerable<string> DefaultNoDecay => [.. Optimizers.DefaultNoDecay, "quantizer.codevectors"];

    public Manifest Train { get; }

    public int ReceptiveField { get; }

    public Func<AudioUtterance, int>? BatchLength => u => Math.Min(u.Length, experiment.CropSamples);

    public IObservable<CollatedBatch> Collate(IObservable<IReadOnlyList<AudioUtterance>> batches, long seed) =>
        batches.CropToShortest(seed, experiment.CropSamples);

    public UpdateReport Step(torch.optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step) =>
        PretrainingStep.Run(model, optimizer, batches, step, options);

    public bool Evaluates => devProbe is not null;

    /// <summary>Masked-frame accuracy, contrastive loss and diagnostics on the fixed dev batch (<see cref="DevProbe"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Evaluate() => devProbe is null ? [] : [.. devProbe.Measure(model).ToMetrics()];

    public void Save(string directory)
    {
        model.SavePretrained(directory);
        PreprocessorConfig.Write(directory, experiment.Corpus.Normalize, model.Config);
    }

    public void Dispose() => model.Dispose();
}
