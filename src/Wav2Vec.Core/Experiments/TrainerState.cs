using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wav2Vec.Corpus;
using Wav2Vec.Sinks;
using Wav2Vec.Torch;

namespace Wav2Vec.Experiments;

/// <summary>
/// The trainer-state sidecar of a checkpoint (<c>trainer_state.json</c>): everything besides the weights and
/// the optimiser that an exact resume needs. Per-step randomness (masks, negatives, crops, shuffles) is derived
/// from the seed and the step, so the step and data cursor are enough to replay it; libtorch's own generator
/// (dropout, Gumbel noise) is saved beside it as <c>rng_state.bin</c>.
/// </summary>
/// <param name="Step">Optimiser steps completed.</param>
/// <param name="Epoch">Passes over the training data completed.</param>
/// <param name="BatchInEpoch">Batches of the current epoch already consumed.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="SkippedSteps">Steps skipped for a non-finite loss or gradient so far.</param>
/// <param name="Metric">The score of this checkpoint on the run's selection metric (e.g. dev WER), if measured.</param>
/// <param name="Counters">Other counters a session keeps (named).</param>
public sealed record TrainerState(
    long Step,
    int Epoch,
    long BatchInEpoch,
    long Seed,
    long SkippedSteps = 0,
    double? Metric = null,
    ImmutableSortedDictionary<string, double>? Counters = null)
{
    /// <summary>File name of the sidecar inside a checkpoint folder.</summary>
    public const string FileName = "trainer_state.json";

    /// <summary>File name of libtorch's generator state inside a checkpoint folder.</summary>
    public const string RngFileName = "rng_state.bin";

    /// <summary>File name of the optimiser state inside a checkpoint folder.</summary>
    public const string OptimizerFileName = "optimizer.bin";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the sidecar and libtorch's generator state into <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
        AtomicFile.WriteAllBytes(Path.Combine(folder, RngFileName), GeneratorState.Current());
    }

    /// <summary>Reads the sidecar of <paramref name="folder"/>; a missing or broken file is an error naming it.</summary>
    public static TrainerState Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no trainer state; this checkpoint cannot be resumed.", path);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty trainer state.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable trainer state ({e.Message}).", e);
        }
    }

    /// <summary>The sidecar of <paramref name="folder"/>, or null when it is missing or does not read.</summary>
    public static TrainerState? TryLoad(string folder)
    {
        try
        {
            return Load(folder);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Restores libtorch's generator from <paramref name="folder"/>, when the checkpoint has one. A state that is
    /// damaged (cut short, or not one libtorch accepts: <see cref="GeneratorState.Problem"/>) is never handed to
    /// libtorch, which would abort the process; the generator is re-seeded from the run's seed and this state's step
    /// instead, and <paramref name="log"/> hears that dropout and Gumbel noise from here on differ from an
    /// uninterrupted run.
    /// </summary>
    public void RestoreRng(string folder, Action<string> log)
    {
        var path = Path.Combine(folder, RngFileName);
        if (!File.Exists(path)) return;
        var bytes = File.ReadAllBytes(path);
        if (GeneratorState.Problem(bytes) is { } problem)
        {
            log($"{path}: damaged ({problem}); libtorch's generator is re-seeded from the seed and step {Step} instead, " +
                "so dropout and Gumbel noise from here on differ from an uninterrupted run.");
            TorchRuntime.Seed(SeededRandom.Seed(Seed, "generator-after-damaged-state", Step));
            return;
        }
        GeneratorState.Restore(bytes);
    }
}
