using System.Collections.Immutable;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Sinks;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>
/// A running <see cref="FinetuneExperiment"/>: the pre-trained network with a CTC head for the vocabulary, advanced
/// one <see cref="CtcFineTuner.Step"/> at a time, evaluated on dev every <see cref="OutputSpec.EvaluateEvery"/> steps
/// (the report of that step carries <c>cer</c>/<c>wer</c>), the best checkpoint by dev WER kept and copied to
/// <c>best/</c>. Resuming restores weights, optimiser, update count, RNG and data cursor.
/// </summary>
public sealed class FinetuneSession : ITrainingSession
{
    readonly FinetuneExperiment experiment;
    readonly Wav2Vec2ForCtc model;
    readonly Vocabulary vocabulary;
    readonly ITranscriptNormalizer normalizer;
    readonly CtcFineTuner tuner;
    readonly CheckpointStore store;
    readonly IEnumerator<(int Epoch, long Index, IReadOnlyList<AudioUtterance> Batch)> batches;
    readonly IReadOnlyList<LabelledUtterance> dev;
    readonly ImmutableDictionary<string, string> words;
    readonly TorchSharp.torch.Device device;
    readonly DateTime started = DateTime.UtcNow;
    readonly TimeSpan elapsedBefore;
    TrainerState state;
    long savedStep = -1;

    /// <summary>The run's folder; <c>best/</c> holds the best model by dev WER as a Hugging Face directory.</summary>
    public RunFolder Folder { get; }

    /// <summary>Bad audio skipped so far.</summary>
    public SkipReport Skipped { get; } = new();

    /// <inheritdoc />
    public long Step => state.Step;

    /// <inheritdoc />
    public long TotalSteps => experiment.Steps;

    /// <summary>The model being trained.</summary>
    public Wav2Vec2ForCtc Model => model;

    /// <summary>Folder of the best model by dev WER (a Hugging Face directory with vocab.json).</summary>
    public string BestModel => Path.Combine(Folder.Path, "best");

    /// <summary>Starts <paramref name="experiment"/>, or continues it from its newest checkpoint when <paramref name="resume"/> is set.</summary>
    public FinetuneSession(FinetuneExperiment experiment, bool resume = false)
    {
        this.experiment = ExperimentValidation.Check(experiment);
        TorchRuntime.Initialize();
        device = Devices.Resolve(Devices.Parse(experiment.Device));
        var start = RunStart.Open(experiment, experiment.Output, experiment.BestBy, resume);
        (Folder, store) = (start.Folder, start.Store);
        var latest = start.Latest;

        normalizer = TranscriptNormalizer.For(experiment.Language);
        var train = ManifestFiles.Read(experiment.Corpus.Folder, experiment.Corpus.Train);
        if (!train.IsLabelled)
            throw new InvalidDataException($"{ManifestFiles.TsvPath(experiment.Corpus.Folder, experiment.Corpus.Train)}: split '{experiment.Corpus.Train}' has no transcripts (.wrd/.ltr); fine-tuning needs them.");
        words = train.Entries.ToImmutableDictionary(e => e.Id, e => e.Words!);
        dev = experiment.Corpus.Dev is { } devSplit ? FineTuning.Labelled(experiment.Corpus.Folder, devSplit) : [];
        vocabulary = ChooseVocabulary(experiment, words.Values, normalizer);

        TorchRuntime.Seed(experiment.Seed);
        model = FineTuning.LoadModel(latest ?? experiment.Pretrained, vocabulary, experiment.TimeMasking.Prob, experiment.ChannelMasking.Prob, _ => { });
        var settings = new FineTuneSettings(experiment.Steps, experiment.Optimizer.LearningRate, experiment.FreezeTransformerSteps,
            experiment.FreezeFeatureEncoder, experiment.TimeMasking, experiment.ChannelMasking, experiment.Optimizer.ClipNorm,
            experiment.LossReduction ?? model.Config.CtcLossReduction,
            Schedule: Optimizers.Schedule(experiment.Optimizer, experiment.Steps), Seed: experiment.Seed, CacheFeatures: experiment.CacheFeatures);
        tuner = new CtcFineTuner(model, new Tokenizer(vocabulary, normalizer), settings, device);
        if (latest is null) state = new TrainerState(0, 0, 0, experiment.Seed);
        else
        {
            state = TrainerState.Load(latest);
            tuner.RestoreState(Path.Combine(latest, TrainerState.OptimizerFileName), (int)state.Step, (int)state.SkippedSteps);
            TrainerState.RestoreRng(latest);
            elapsedBefore = RunStart.ElapsedBefore(state);
            savedStep = state.Step;
        }
        var decode = DecodeOptions.Default with { MaxSeconds = experiment.Corpus.MaxSeconds };
        batches = EpochBatches.From(epoch => train.Utterances(EpochSeed(epoch))
                .Decode(decode, BadAudioPolicy.Skip, Skipped)
                .BatchBySize(experiment.BatchSamples, seed: EpochSeed(epoch)),
            state.Epoch, state.BatchInEpoch).GetEnumerator();
    }

    long EpochSeed(int epoch) => experiment.Seed * 1_000_003 + epoch;

    static Vocabulary ChooseVocabulary(FinetuneExperiment e, IEnumerable<string> transcripts, ITranscriptNormalizer normalizer) =>
        e.Vocabulary.ToLowerInvariant() switch
        {
            "english" => Vocabulary.English,
            "corpus" => Vocabulary.FromTranscripts(transcripts, normalizer),
            _ => Vocabulary.Load(e.Vocabulary),
        };

    /// <inheritdoc />
    public StepReport Next()
    {
        if (!batches.MoveNext()) throw new InvalidOperationException("the data stream ended.");
        var (epoch, index, batch) = batches.Current;
        var step = tuner.Step(new LabelledBatch(
            batch.Select(u => u.Utterance.Id).ToList(), batch.Select(u => u.Samples).ToList(),
            batch.Select(u => words[u.Utterance.Id]).ToList()));
        state = state with { Step = tuner.Updates, Epoch = epoch, BatchInEpoch = index, SkippedSteps = tuner.SkippedUpdates };
        var metrics = new List<KeyValuePair<string, double>>
        {
            new(MetricNames.Loss, step.Loss), new(MetricNames.Ctc, step.Loss), new(MetricNames.GradNorm, step.GradNorm),
            new("transformer_frozen", step.TransformerFrozen ? 1 : 0), new("skipped_steps", state.SkippedSteps),
            new("batch_size", step.Utterances),
        };
        string? checkpoint = null;
        var last = state.Step >= experiment.Steps;
        var evaluate = dev.Count > 0 && (last || (experiment.Output.EvaluateEvery > 0 && state.Step % experiment.Output.EvaluateEvery == 0));
        if (evaluate)
        {
            var result = FineTuning.Evaluate(model, vocabulary, dev, normalizer, device);
            metrics.Add(new(MetricNames.Cer, result.Cer));
            metrics.Add(new(MetricNames.Wer, result.Wer));
            checkpoint = SaveCheckpoint(experiment.BestBy == MetricNames.Cer ? result.Cer : result.Wer);
        }
        else if (state.Step % experiment.Output.CheckpointEvery == 0) checkpoint = SaveCheckpoint(null);
        return StepReport.Create(experiment.Name, Phase.Finetune, state.Step, epoch, Elapsed, step.LearningRate, metrics, experiment.Steps, checkpoint);
    }

    TimeSpan Elapsed => elapsedBefore + (DateTime.UtcNow - started);

    /// <inheritdoc />
    public string? SaveCheckpoint() => SaveCheckpoint(null);

    string? SaveCheckpoint(double? devScore)
    {
        if (state.Step == savedStep || state.Step == 0) return null;
        var snapshot = RunStart.Snapshot(state, devScore, Elapsed, Skipped.Count);
        var path = store.Save(state.Step, dir =>
        {
            FineTuning.Save(model, vocabulary, dir, experiment.Pretrained);
            tuner.SaveState(Path.Combine(dir, TrainerState.OptimizerFileName));
            snapshot.Save(dir);
        });
        savedStep = state.Step;
        if (store.Best() is { } best && Path.GetFullPath(best) == Path.GetFullPath(path))
            AtomicFile.WriteDirectory(BestModel, dir => FineTuning.Save(model, vocabulary, dir, experiment.Pretrained));
        if (state.Step >= experiment.Steps)
            AtomicFile.WriteDirectory(Folder.Final, dir => FineTuning.Save(model, vocabulary, dir, experiment.Pretrained));
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        tuner.Dispose();
        model.Dispose();
    }
}
