using TorchSharp.Modules;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Sinks;
using Wav2Vec.Torch;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>
/// The one training skeleton, for pre-training and fine-tuning alike (nanoGPT's <c>train.py</c> as a class): run
/// folder, seeds, model (from the description's <see cref="ITrainingTask"/>), AdamW and its schedule, the data path,
/// then per update: learning rate → <see cref="ExperimentDescription.Accumulate"/> micro-batches → the task's step →
/// report → dev evaluation and checkpoint when due. A checkpoint holds the model (Hugging Face directory), the
/// optimiser, the trainer state and libtorch's generator, so resuming from it on CPU with one thread reports exactly
/// the metrics of an uninterrupted run. The best checkpoint by <see cref="ExperimentDescription.SelectionMetric"/> is
/// copied to <c>best/</c>, the last to <c>final/</c>. Run it through <see cref="Experiment.Run"/>.
/// </summary>
public sealed class Trainer : ITrainingSession
{
    readonly ExperimentDescription experiment;
    readonly ITrainingTask task;
    readonly AdamW optimizer;
    readonly TriStageSchedule learningRates;
    readonly CheckpointStore store;
    readonly RunStart start;
    readonly SkippedAudioLog skipped;
    readonly IEnumerator<(int Epoch, long Index, Batch Batch)> batches;
    readonly DateTime started = DateTime.UtcNow;
    readonly TimeSpan elapsedBefore;
    TrainerState state;
    double? score;
    long savedStep = -1;

    /// <summary>
    /// Starts <paramref name="experiment"/>, or continues it from its newest intact checkpoint when
    /// <paramref name="resume"/> is set and one exists; a fresh start refuses a run folder that already holds
    /// checkpoints, and any start refuses a folder another run holds (<see cref="RunStart.Open"/>). A missing training
    /// manifest is synthesised first when <see cref="CorpusSpec.SynthesizeHours"/> asks for it; dev and test files are
    /// checked before the first update. <paramref name="log"/> receives messages besides metrics (what the start
    /// repaired, what the checkpoint load kept and replaced, each skipped file, the corpus synthesis); the console when
    /// null.
    /// </summary>
    public Trainer(ExperimentDescription experiment, bool resume = false, Action<string>? log = null)
    {
        this.experiment = experiment.Validate();
        log ??= Console.WriteLine;
        // The folder first: a second run of it fails before loading anything.
        start = RunStart.Open(experiment, resume, log);
        (Folder, store) = (start.Folder, start.Store);
        var corpus = experiment.Corpus;
        var choice = Devices.Parse(experiment.Device);
        TorchSharp.torch.Device device;
        try
        {
            skipped = new SkippedAudioLog(Folder, log);
            Skipped = new SkipReport(e => skipped.Add(corpus.Train, e));
            TorchRuntime.Initialize();
            device = Devices.Resolve(choice);
            EnsureCorpus(corpus, log);
            TorchRuntime.Seed(experiment.Seed);
            task = experiment.CreateTask(new TaskContext(start.Latest, device, log, Usable));
            ComputeType = Precisions.ComputeType(Precisions.Parse(experiment.Precision), device);
            if (ComputeType is { } compute) log($"{experiment.Name}: mixed precision, {compute} compute on float32 weights.");
            task.Network.ComputeType = ComputeType;
            optimizer = Optimizers.AdamW(task.Model.named_parameters(), experiment.Optimizer, task.DefaultNoDecay);
            learningRates = Optimizers.Schedule(experiment.Optimizer, experiment.Steps);
            state = new TrainerState(0, 0, 0, experiment.Seed);
            if (corpus.Test is { } test && File.Exists(ManifestFiles.TsvPath(corpus.Folder, test)))
                Usable(test, ManifestFiles.Read(corpus.Folder, test), DecodeOptions.Default with { MinSamples = task.ReceptiveField });
            if (start.Latest is { } latest)
            {
                state = TrainerState.Load(latest);
                LoadOptimizer(Path.Combine(latest, TrainerState.OptimizerFileName));
                state.RestoreRng(latest, log);
                elapsedBefore = RunStart.ElapsedBefore(state);
                savedStep = state.Step;
            }
        }
        catch
        {
            optimizer?.Dispose();
            task?.Dispose();
            skipped?.Dispose();
            start.Dispose();
            throw;
        }

        // The data path, one for both objectives: a seeded order per epoch → decode (bad audio skipped and named, or
        // fatal, as corpus.badAudio says) → trim leading/trailing silence (corpus.trimSilence) → standardise → bucket
        // into batches of at most BatchSamples → the task's collation (crop, or pad with labels) → tensors.
        batches = EpochBatches.From(epoch =>
            {
                var seed = SeededRandom.Seed(experiment.Seed, "epoch", epoch);
                return task.Collate(task.Train.Utterances(seed)
                        .Prepare(corpus, task.ReceptiveField, Skipped)
                        .BatchBySize(experiment.BatchSamples, seed: seed, length: task.BatchLength), seed)
                    .ToTensors(device);
            },
            state.Epoch, state.BatchInEpoch, discard: b => b.Dispose()).GetEnumerator();
    }

    /// <summary>
    /// <paramref name="manifest"/> of evaluation split <paramref name="split"/> without the files the policy skips
    /// (<see cref="SplitCheck"/>); a split whose every file is skipped is an error.
    /// </summary>
    Manifest Usable(string split, Manifest manifest, DecodeOptions decode)
    {
        var usable = SplitCheck.Usable(manifest, decode, experiment.Corpus.BadAudio, e => skipped.Add(split, e));
        if (usable.Entries.Count == 0 && manifest.Entries.Count > 0)
            throw new InvalidDataException($"{ManifestFiles.TsvPath(experiment.Corpus.Folder, split)}: all {manifest.Entries.Count} audio files of split " +
                                           $"'{split}' are unusable (each named above and in {Folder.SkippedAudio}).");
        return usable;
    }

    /// <summary>Restores AdamW's moments; a file that does not load is an error naming it.</summary>
    void LoadOptimizer(string path)
    {
        try
        {
            optimizer.load_state_dict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: unreadable optimiser state ({e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd('.')}).", e);
        }
    }

    /// <summary>The run's folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>The dtype the network computes in (bf16 under mixed precision), null for float32; from <see cref="ExperimentDescription.Precision"/>.</summary>
    public TorchSharp.torch.ScalarType? ComputeType { get; }

    /// <summary>Training audio skipped so far in this process (each file once per epoch; every file is also named in <c>skipped.tsv</c>).</summary>
    public SkipReport Skipped { get; }

    /// <summary>The optimiser (AdamW, two parameter groups: with and without weight decay).</summary>
    public AdamW Optimizer => optimizer;

    /// <summary>The model being trained (<see cref="Model.Wav2Vec2ForPreTraining"/> or <see cref="Model.Wav2Vec2ForCtc"/>).</summary>
    public TorchSharp.torch.nn.Module Model => task.Model;

    /// <inheritdoc />
    public long Step => state.Step;

    /// <inheritdoc />
    public long TotalSteps => experiment.Steps;

    /// <inheritdoc />
    public StepReport Next()
    {
        var lr = learningRates.At((int)state.Step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        var micro = new List<Batch>(experiment.Accumulate);
        UpdateReport update;
        try
        {
            for (var k = 0; k < experiment.Accumulate; k++)
            {
                if (!batches.MoveNext()) throw new InvalidOperationException("the data stream ended.");
                var (epoch, index, batch) = batches.Current;
                micro.Add(batch);
                state = state with { Epoch = epoch, BatchInEpoch = index };
            }
            update = task.Step(optimizer, micro, state.Step);
        }
        finally
        {
            foreach (var batch in micro) batch.Dispose();
        }
        state = state with { Step = state.Step + 1, SkippedSteps = state.SkippedSteps + (update.Skipped ? 1 : 0) };

        List<KeyValuePair<string, double>> metrics =
        [
            new(MetricNames.Loss, update.Loss), new(MetricNames.GradNorm, update.GradNorm), new("skipped_steps", state.SkippedSteps),
            .. update.Metrics,
        ];
        var last = state.Step >= experiment.Steps;
        var every = experiment.Output.EvaluateEvery;
        var evaluate = task.Evaluates && (last || (every > 0 && state.Step % every == 0));
        if (evaluate) metrics.AddRange(task.Evaluate());
        score = metrics.Where(m => m.Key == experiment.SelectionMetric).Select(m => (double?)m.Value).LastOrDefault();
        var checkpoint = evaluate || state.Step % experiment.Output.CheckpointEvery == 0
            ? Path.Combine(store.Folder, CheckpointStore.NameFor(state.Step))
            : null;
        return StepReport.Create(experiment.Name, task.Phase, state.Step, state.Epoch, Elapsed, lr, metrics, experiment.Steps, checkpoint);
    }

    TimeSpan Elapsed => elapsedBefore + (DateTime.UtcNow - started);

    /// <inheritdoc />
    public string? SaveCheckpoint()
    {
        if (state.Step == savedStep || state.Step == 0) return null;
        var last = state.Step >= experiment.Steps;
        // Nothing was learned: no checkpoint of the last step either, so a resumed run meets the same error.
        if (last && state.SkippedSteps >= state.Step) throw new AllUpdatesSkippedException(Folder.Path, state.Step);
        var snapshot = RunStart.Snapshot(state, score, Elapsed, skipped.Count);
        var path = store.Save(state.Step, dir =>
        {
            task.Save(dir);
            optimizer.save_state_dict(Path.Combine(dir, TrainerState.OptimizerFileName));
            snapshot.Save(dir);
        });
        savedStep = state.Step;
        var learned = state.SkippedSteps < state.Step;
        if (learned && store.Best() is { } best && Path.GetFullPath(best) == Path.GetFullPath(path)) AtomicFile.WriteDirectory(Folder.Best, task.Save);
        if (last) AtomicFile.WriteDirectory(Folder.Final, task.Save);
        return path;
    }

    /// <summary>A missing training manifest is synthesised (the default TTS corpus) when the corpus asks for it, else an error with the hint.</summary>
    static void EnsureCorpus(CorpusSpec corpus, Action<string> log)
    {
        var tsv = ManifestFiles.TsvPath(corpus.Folder, corpus.Train);
        if (File.Exists(tsv)) return;
        if (corpus.SynthesizeHours <= 0)
            throw new FileNotFoundException($"{tsv}: manifest not found; create the corpus (wav2vec data synth) or set corpus.synthesizeHours.", tsv);
        log($"{tsv} is missing: synthesising {corpus.SynthesizeHours} h of the default corpus into {corpus.Folder}");
        var report = CorpusSynthesizer.Synthesize(new CorpusOptions(corpus.Folder, corpus.SynthesizeHours), say: log);
        log($"{report.AudioSeconds / 60:0.0} min of audio in {report.Elapsed.TotalSeconds:0} s; manifests in {report.OutDir}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        optimizer.Dispose();
        task.Dispose();
        skipped.Dispose();
        start.Dispose();
    }
}
