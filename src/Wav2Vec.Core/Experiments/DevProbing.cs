using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;

namespace Wav2Vec.Experiments;

/// <summary>A pre-training checkpoint measured again on its run's fixed dev batch (<see cref="DevProbing.Measure"/>).</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Checkpoint">The checkpoint measured.</param>
/// <param name="Metrics">The dev probe's metrics, as a run logs them at an evaluation (<c>dev_accuracy</c>, <c>dev_chance_accuracy</c>, …).</param>
/// <param name="Learns">
/// The go/no-go verdict of <see cref="HealthLevels.Learns(double, double, double, int, int)"/> on these metrics (dev accuracy against its chance level, dev
/// probability perplexity against ½·G·V); null when the probe has no perplexity (continuous targets, BEST-RQ).
/// </param>
public sealed record DevProbeMeasurement(string Run, string Checkpoint, IReadOnlyDictionary<string, double> Metrics, bool? Learns);

/// <summary>
/// Measures a pre-training run's checkpoint on the run's own dev probe again — the same crops, masks and distractors
/// (the probe is seeded), built from the run's <c>experiment.json</c> through the run's data path and computed in its
/// precision — so a model trained before a change to the probe (such as the chance level of a collapsed codebook) is
/// read with today's measures, and any checkpoint of a run, not only the evaluated ones, can be compared.
/// </summary>
public static class DevProbing
{
    /// <summary>The dev probe of <paramref name="run"/> (a run folder with <c>experiment.json</c>) on <paramref name="checkpoint"/>, by default its <c>best/</c> or <c>final/</c>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>experiment.json</c>.</exception>
    /// <exception cref="ArgumentException">The run is not a pre-training run, or its corpus has no dev split.</exception>
    /// <exception cref="DirectoryNotFoundException">The checkpoint does not exist.</exception>
    public static DevProbeMeasurement Measure(string run, string? checkpoint, Action<string> log)
    {
        var folder = new RunFolder(run);
        var description = folder.Description;
        if (!File.Exists(description))
            throw new FileNotFoundException($"{description}: not found; give a run folder (runs/NAME) that a pre-training run wrote", description);
        var loaded = ExperimentJson.Load(description);
        if (Unprobeable(loaded) is { } why)
            throw new ArgumentException($"{description}: {why}; the dev probe measures the checkpoints of a pre-training run with a dev split");
        var experiment = (PretrainExperiment)loaded;
        var model = checkpoint ?? folder.Trained;
        if (!Directory.Exists(model)) throw new DirectoryNotFoundException($"{model}: no such checkpoint; give runs/NAME/best, final or checkpoints/step-N");

        TorchRuntime.Initialize();
        var device = Devices.Resolve(Devices.Parse(experiment.Device));
        Manifest Usable(string split, Manifest manifest, DecodeOptions decode) =>
            SplitCheck.Usable(manifest, decode, experiment.Corpus.BadAudio, e => log($"{split}: left out {e.Message}"));
        using var task = experiment.CreateTask(new TaskContext(model, device, log, Usable));
        task.Network.ComputeType = Precisions.ComputeType(Precisions.Parse(experiment.Precision), device);
        var metrics = task.Evaluate().ToDictionary(m => m.Key, m => m.Value);
        return new DevProbeMeasurement(run, model, metrics, HealthLevels.Learns(metrics, DiagnosticNames.DevPerplexity, experiment.ResolvedModel));
    }

    /// <summary>Why the run of <paramref name="point"/> has no dev probe to measure again, or null when it has one.</summary>
    public static string? Unprobeable(ExperimentDescription point) => point switch
    {
        not PretrainExperiment => "not a pre-training run",
        PretrainExperiment { Corpus.Dev: null } => "corpus.dev is null",
        _ => null,
    };

    /// <summary>
    /// <paramref name="result"/> with its run's trained model (<c>best/</c>, else <c>final/</c>: the model a fine-tuning
    /// starts from) measured on the dev probe again (<see cref="Measure"/>), under <see cref="SweepResult.ProbedPrefix"/>.
    /// </summary>
    public static SweepResult Probe(SweepResult result, Action<string> log) =>
        result.WithProbe(Measure(Experiment.Folder(result.Point.Description).Path, null, log));
}
