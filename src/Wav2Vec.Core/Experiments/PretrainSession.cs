using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Sinks;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Experiments;

/// <summary>
/// A running <see cref="PretrainExperiment"/>: model, AdamW, learning-rate and temperature schedules and the data
/// cursor, advanced one <see cref="PretrainingStep"/> at a time. Resuming restores all of them from the newest
/// checkpoint, so on CPU with one thread a resumed run reports the same metrics as an uninterrupted one.
/// </summary>
public sealed class PretrainSession : ITrainingSession
{
    readonly PretrainExperiment experiment;
    readonly Wav2Vec2ForPreTraining model;
    readonly TorchSharp.Modules.OptimizerHelper optimizer;
    readonly TriStageSchedule learningRates;
    readonly PretrainingStepOptions stepOptions;
    readonly CheckpointStore store;
    readonly IEnumerator<(int Epoch, long Index, Batch Batch)> batches;
    readonly DateTime started = DateTime.UtcNow;
    readonly TimeSpan elapsedBefore;
    TrainerState state;
    long savedStep = -1;

    /// <summary>The run's folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>Bad audio skipped so far (counted, reported at the end).</summary>
    public SkipReport Skipped { get; } = new();

    /// <inheritdoc />
    public long Step => state.Step;

    /// <inheritdoc />
    public long TotalSteps => experiment.Steps;

    /// <summary>The model being trained.</summary>
    public Wav2Vec2ForPreTraining Model => model;

    /// <summary>
    /// Starts <paramref name="experiment"/>, or continues it from its newest checkpoint when <paramref name="resume"/>
    /// is set and one exists. A fresh start refuses to overwrite a run folder that already has checkpoints.
    /// </summary>
    public PretrainSession(PretrainExperiment experiment, bool resume = false)
    {
        this.experiment = ExperimentValidation.Check(experiment);
        TorchRuntime.Initialize();
        var device = Devices.Resolve(Devices.Parse(experiment.Device));
        var start = RunStart.Open(experiment, experiment.Output, MetricNames.Loss, resume);
        (Folder, store) = (start.Folder, start.Store);
        var latest = start.Latest;

        if (latest is null)
        {
            TorchRuntime.Seed(experiment.Seed);
            model = new Wav2Vec2ForPreTraining(experiment.ResolvedModel);
            state = new TrainerState(0, 0, 0, experiment.Seed);
        }
        else
        {
            model = Wav2Vec2ForPreTraining.FromPretrained(latest);
            state = TrainerState.Load(latest);
            elapsedBefore = RunStart.ElapsedBefore(state);
        }
        model.to(device);
        optimizer = Optimizers.AdamW(model.parameters(), experiment.Optimizer);
        if (latest is not null)
        {
            optimizer.load_state_dict(Path.Combine(latest, TrainerState.OptimizerFileName));
            TrainerState.RestoreRng(latest);
            savedStep = state.Step;
        }
        learningRates = Optimizers.Schedule(experiment.Optimizer, experiment.Steps);
        stepOptions = new PretrainingStepOptions(
            experiment.Masking,
            ObjectiveOptions.From(experiment.ResolvedModel, experiment.FeaturePenaltyWeight),
            experiment.Temperature,
            experiment.Optimizer.ClipNorm);
        var manifest = ManifestFiles.Read(experiment.Corpus.Folder, experiment.Corpus.Train);
        var decode = DecodeOptions.Default with { MaxSeconds = experiment.Corpus.MaxSeconds };
        batches = EpochBatches.From(epoch => manifest.Utterances(EpochSeed(epoch))
                .Decode(decode, BadAudioPolicy.Skip, Skipped)
                .BatchBySize(experiment.BatchSamples, seed: EpochSeed(epoch), length: u => Math.Min(u.Length, experiment.CropSamples))
                .CropToShortest(EpochSeed(epoch), experiment.CropSamples)
                .ToTensors(device),
            state.Epoch, state.BatchInEpoch, discard: b => b.Dispose()).GetEnumerator();
    }

    long EpochSeed(int epoch) => experiment.Seed * 1_000_003 + epoch;

    /// <inheritdoc />
    public StepReport Next()
    {
        if (!batches.MoveNext()) throw new InvalidOperationException("the data stream ended.");
        var (epoch, index, batch) = batches.Current;
        using var _ = batch;
        var lr = learningRates.At((int)state.Step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        var result = PretrainingStep.Run(model, optimizer, batch.Audio, null, stepOptions, state.Step, (int)experiment.Seed);
        var losses = result.Losses;
        state = state with
        {
            Step = state.Step + 1, Epoch = epoch, BatchInEpoch = index,
            SkippedSteps = state.SkippedSteps + (result.Skipped ? 1 : 0),
        };
        string? checkpoint = state.Step % experiment.Output.CheckpointEvery == 0 ? SaveCheckpoint(losses.Total) : null;
        return StepReport.Create(experiment.Name, Phase.Pretrain, state.Step, state.Epoch, Elapsed, lr,
        [
            new(MetricNames.Loss, losses.Total), new(MetricNames.Contrastive, losses.ContrastiveMean),
            new(MetricNames.Diversity, losses.Diversity), new(MetricNames.FeaturePenalty, losses.FeaturePenalty),
            new(MetricNames.Perplexity, losses.Perplexity), new(MetricNames.Accuracy, losses.Accuracy),
            new("code_usage", losses.CodeUsage), new(MetricNames.Temperature, result.Temperature),
            new(MetricNames.GradNorm, result.GradNorm), new("skipped_steps", state.SkippedSteps),
            new("batch_size", batch.Size), new("batch_samples", batch.Audio.shape[1]),
        ], experiment.Steps, checkpoint);
    }

    TimeSpan Elapsed => elapsedBefore + (DateTime.UtcNow - started);

    /// <inheritdoc />
    public string? SaveCheckpoint() => SaveCheckpoint(null);

    string? SaveCheckpoint(double? loss)
    {
        if (state.Step == savedStep || state.Step == 0) return null;
        var snapshot = RunStart.Snapshot(state, loss, Elapsed, Skipped.Count);
        var path = store.Save(state.Step, dir =>
        {
            model.SavePretrained(dir);
            optimizer.save_state_dict(Path.Combine(dir, TrainerState.OptimizerFileName));
            snapshot.Save(dir);
        });
        savedStep = state.Step;
        if (state.Step >= experiment.Steps) AtomicFile.WriteDirectory(Folder.Final, dir => model.SavePretrained(dir));
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
