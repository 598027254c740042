using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>
/// CTC fine-tuning as a <see cref="ITrainingTask"/>: the pre-trained network (or a fresh one of the description's
/// model) with a head for the vocabulary, batches padded with their encoded transcripts, <see cref="CtcStep.Run"/> as
/// the step, greedy CER/WER on dev.
/// </summary>
sealed class FineTuningTask : ITrainingTask
{
    readonly FinetuneExperiment experiment;
    readonly Wav2Vec2ForCtc model;
    readonly Vocabulary vocabulary;
    readonly Tokenizer tokenizer;
    readonly IReadOnlyList<LabelledUtterance> dev;
    readonly FeatureCache? cache;
    readonly CtcStepOptions options;
    readonly torch.Device device;

    public FineTuningTask(FinetuneExperiment experiment, TaskContext context)
    {
        this.experiment = experiment;
        device = context.Device;
        var corpus = experiment.Corpus;
        Train = ManifestFiles.Read(corpus.Folder, corpus.Train);
        if (!Train.IsLabelled)
            throw new InvalidDataException($"{ManifestFiles.TsvPath(corpus.Folder, corpus.Train)}: split '{corpus.Train}' has no transcripts (.wrd/.ltr); fine-tuning needs them.");
        var normalizer = TranscriptNormalizer.For(experiment.Language);
        vocabulary = experiment.Vocabulary.ToLowerInvariant() switch
        {
            "english" => Vocabulary.English,
            "corpus" => Vocabulary.FromTranscripts(Train.Entries.Select(e => e.Words!), normalizer),
            _ => Vocabulary.Load(experiment.Vocabulary),
        };
        tokenizer = new Tokenizer(vocabulary, normalizer);
        if (context.ResumeFrom is null && experiment.Pretrained is { } pretrained)
            PreprocessorConfig.RequireSameNormalization(pretrained, corpus.Normalize, pretrained);
        model = (context.ResumeFrom ?? experiment.Pretrained) is { } directory
            ? FineTuning.LoadModel(directory, vocabulary, config => experiment.Configure(KeptLayers(config, directory, context.Log)), context.Log)
            : new Wav2Vec2ForCtc(experiment.Configure(experiment.Model! with { VocabSize = vocabulary.Count }));
        if (model.Config.VocabSize != vocabulary.Count)
            throw new ArgumentException($"the vocabulary has {vocabulary.Count} tokens but lm_head has {model.Config.VocabSize} outputs.");
        if (context.ResumeFrom is null && experiment.ReinitializeLayers > 0)
        {
            if (experiment.ReinitializeLayers > model.Config.NumHiddenLayers)
            {
                model.Dispose();
                throw new ArgumentException($"reinitializeLayers is {experiment.ReinitializeLayers} but {experiment.Pretrained} has {model.Config.NumHiddenLayers} Transformer layers.");
            }
            Wav2Vec2Initialization.ReinitializeTopLayers(model.Wav2Vec2, experiment.ReinitializeLayers);
            context.Log($"Transformer layers {model.Config.NumHiddenLayers - experiment.ReinitializeLayers}–{model.Config.NumHiddenLayers - 1} of {experiment.Pretrained} re-initialised (reinitializeLayers {experiment.ReinitializeLayers}).");
        }
        model.to(device);
        ReceptiveField = (int)FrameLengths.ReceptiveField(model.Config.ConvKernel, model.Config.ConvStride);
        try
        {
            dev = corpus.Dev is { } devSplit ? Dev(corpus.Folder, devSplit, context) : [];
        }
        catch
        {
            model.Dispose();
            throw;
        }
        if (experiment.FreezeFeatureEncoder) model.FreezeFeatureEncoder();
        if (experiment.FreezeFeatureEncoder && experiment.CacheFeatures) cache = new FeatureCache(model.Wav2Vec2, device);
        if (!model.Config.ApplySpecAugment && (experiment.TimeMasking.Prob > 0 || experiment.ChannelMasking.Prob > 0))
            context.Log("the model config's apply_spec_augment is false: fine-tuning masks nothing (timeMasking and channelMasking are not applied).");
        options = new CtcStepOptions(experiment.FreezeTransformerSteps, experiment.TimeMasking, experiment.ChannelMasking,
            experiment.Optimizer.ClipNorm, experiment.Seed, vocabulary.Blank);
    }

    /// <summary>
    /// The loaded directory's config, checked against <see cref="FinetuneExperiment.KeepLayers"/> (a network cannot keep
    /// layers it does not have); the layers it drops go to <paramref name="log"/>. A resumed run's directory holds the
    /// kept layers only, so it drops none.
    /// </summary>
    Wav2Vec2Config KeptLayers(Wav2Vec2Config config, string directory, Action<string> log)
    {
        if (experiment.KeepLayers is not { } kept || kept == config.NumHiddenLayers) return config;
        if (kept > config.NumHiddenLayers)
            throw new ArgumentException($"keepLayers is {kept} but {directory} has {config.NumHiddenLayers} Transformer layers.");
        log($"Transformer layers {kept}–{config.NumHiddenLayers - 1} of {directory} dropped: the model keeps layers 0–{kept - 1} (keepLayers {kept}).");
        return config;
    }

    /// <summary>The labelled dev split, checked now (labels, then audio, evaluation's decoding) so a bad file is found before training.</summary>
    IReadOnlyList<LabelledUtterance> Dev(string folder, string split, TaskContext context)
    {
        var (manifest, source) = (ManifestFiles.Read(folder, split), ManifestFiles.TsvPath(folder, split));
        FineTuning.Labelled(manifest, source);
        return FineTuning.Labelled(context.Usable(split, manifest, DecodeOptions.Default with { MinSamples = ReceptiveField }), source);
    }

    public Phase Phase => Phase.Finetune;

    public torch.nn.Module Model => model;

    public Wav2Vec2Model Network => model.Wav2Vec2;

    public IEnumerable<string> DefaultNoDecay => Optimizers.DefaultNoDecay;

    public Manifest Train { get; }

    public int ReceptiveField { get; }

    public Func<AudioUtterance, int>? BatchLength => null;

    public IObservable<CollatedBatch> Collate(IObservable<IReadOnlyList<AudioUtterance>> batches, long seed) => batches.Pad(tokenizer);

    public UpdateReport Step(torch.optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step) =>
        CtcStep.Run(model, optimizer, batches, step, options, cache);

    public bool Evaluates => dev.Count > 0;

    public IReadOnlyList<KeyValuePair<string, double>> Evaluate()
    {
        var result = FineTuning.Evaluate(model, vocabulary, dev, tokenizer.Normalizer, device, experiment.Corpus.Normalize);
        return [new(MetricNames.Cer, result.Cer), new(MetricNames.Wer, result.Wer)];
    }

    public void Save(string directory) => FineTuning.Save(model, vocabulary, directory, experiment.Pretrained, experiment.Corpus.Normalize);

    public void Dispose()
    {
        cache?.Dispose();
        model.Dispose();
    }
}
