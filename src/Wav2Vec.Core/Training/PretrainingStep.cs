using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>What one pre-training update needs besides the model, the optimiser and the batch.</summary>
/// <param name="Masking">Span masking over frames (paper: p = 0.65, M = 10).</param>
/// <param name="Objective">K, κ, α, β of the loss.</param>
/// <param name="Temperature">Gumbel temperature schedule of the quantizer.</param>
/// <param name="MaxGradNorm">Global L2 norm the gradients are clipped to; ≤ 0 or infinity disables clipping.</param>
public sealed record PretrainingStepOptions(
    MaskingOptions Masking, ObjectiveOptions Objective, GumbelTemperatureSchedule Temperature, double MaxGradNorm = 10.0)
{
    /// <summary>Masking and objective from <paramref name="config"/>'s HF fields, the paper's temperature schedule.</summary>
    public static PretrainingStepOptions From(Wav2Vec2Config config) =>
        new(MaskingOptions.TimeFrom(config), ObjectiveOptions.From(config), GumbelTemperatureSchedule.Default);
}

/// <summary>Numbers from one update, for logs, progress and charts.</summary>
/// <param name="Step">The update index the temperature was taken at.</param>
/// <param name="Temperature">Gumbel τ used.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Losses">Every loss term and metric of the batch.</param>
/// <param name="Skipped">True when the loss or the gradient norm was not finite: the parameters were left unchanged.</param>
public sealed record PretrainingStepResult(long Step, double Temperature, double GradNorm, PretrainingLossValues Losses, bool Skipped = false);

/// <summary>
/// One wav2vec 2.0 pre-training update (paper §3–4), nanoGPT style: frame lengths → span mask → forward with the mask
/// → distractors → <see cref="PretrainingLosses"/> → backward → clip → optimiser step. Masks, distractors and Gumbel
/// noise are functions of (<c>seed</c>, <c>step</c>), so a run is repeatable on CPU with one thread.
/// </summary>
public static class PretrainingStep
{
    /// <param name="model">The model; put in training mode here.</param>
    /// <param name="optimizer">Optimiser over the model's parameters (its learning rate is the caller's schedule).</param>
    /// <param name="audio">Waveforms [batch, samples], any float dtype, on the model's device.</param>
    /// <param name="sampleLengths">Real samples per row (padding at the end); null when no row is padded.</param>
    /// <param name="options">Masking, objective, temperature and clipping.</param>
    /// <param name="step">Update index (drives the temperature schedule and the randomness).</param>
    /// <param name="seed">Run seed.</param>
    public static PretrainingStepResult Run(Wav2Vec2ForPreTraining model, optim.Optimizer optimizer, Tensor audio,
        long[]? sampleLengths, PretrainingStepOptions options, long step, int seed)
    {
        using var scope = torch.NewDisposeScope();
        model.train();
        optimizer.zero_grad();
        var losses = Losses(model, audio, sampleLengths, options, step, seed, out var temperature);
        losses.Total.backward();
        var clip = options.MaxGradNorm > 0 && double.IsFinite(options.MaxGradNorm) ? options.MaxGradNorm : double.PositiveInfinity;
        var gradNorm = nn.utils.clip_grad_norm_(model.parameters(), clip);
        var values = losses.ToValues();
        // A non-finite loss or gradient would poison every weight through Adam's moments: skip the update instead.
        var skipped = !double.IsFinite(values.Total) || !double.IsFinite(gradNorm);
        if (skipped) optimizer.zero_grad();
        else optimizer.step();
        return new PretrainingStepResult(step, temperature, gradNorm, values, skipped);
    }

    /// <summary>
    /// The forward half of <see cref="Run"/>: the losses of the batch under the mask and distractors of
    /// (<paramref name="seed"/>, <paramref name="step"/>), with their graph. Call it inside a dispose scope (the model's
    /// outputs live there); for evaluation, in eval mode under no_grad.
    /// </summary>
    public static PretrainingLosses Losses(Wav2Vec2ForPreTraining model, Tensor audio, long[]? sampleLengths,
        PretrainingStepOptions options, long step, int seed, out double temperature)
    {
        var config = model.Config;
        long batch = audio.shape[0], samples = audio.shape[1];
        var mask = BatchMask(config, samples, sampleLengths, batch, options.Masking, step, seed);
        var timeMask = SpanMasking.ToTensor(mask, audio.device);
        var negatives = NegativeSampling.ToTensor(
            NegativeSampling.Sample(mask, options.Objective.NumNegatives, StreamSeed(seed, step, 2)), audio.device);
        var attentionMask = sampleLengths is null
            ? null
            : torch.arange(samples, device: audio.device).unsqueeze(0).lt(torch.tensor(sampleLengths, device: audio.device).unsqueeze(1));
        temperature = options.Temperature.At(step);
        using var gumbel = new Generator((ulong)StreamSeed(seed, step, 3), audio.device);
        var output = model.Forward(audio, attentionMask, timeMask, temperature, gumbel);
        // The quantizer averages its softmax over the masked frames (timeMask), as Hugging Face does for eq. 4.
        var perplexity = output.Quantizer.ProbPerplexity;
        return PretrainingObjective.Compute(output.ProjectedStates, output.ProjectedQuantized, timeMask, negatives, perplexity,
            config.NumCodevectorGroups, config.NumCodevectorsPerGroup, output.FeaturePenaltyInput, output.Quantizer.CodevectorIndices, options.Objective);
    }

    /// <summary>
    /// The span mask bool[batch][frames] that <see cref="Losses"/> uses for a batch of <paramref name="batch"/> rows of
    /// <paramref name="samples"/> samples (real samples per row in <paramref name="sampleLengths"/>, all when null):
    /// frame lengths by the conv length formula, then <see cref="SpanMasking.Compute"/> with the step's mask seed.
    /// </summary>
    public static bool[][] BatchMask(Wav2Vec2Config config, long samples, long[]? sampleLengths, long batch,
        MaskingOptions masking, long step, int seed)
    {
        if (sampleLengths is not null && sampleLengths.Length != batch)
            throw new ArgumentException($"{sampleLengths.Length} sample lengths for a batch of {batch} rows.", nameof(sampleLengths));
        var frames = (int)FrameLengths.Compute(samples, config);
        var frameLengths = Enumerable.Range(0, (int)batch)
            .Select(b => sampleLengths is null ? frames : (int)FrameLengths.Compute(Math.Min(sampleLengths[b], samples), config))
            .ToArray();
        return SpanMasking.Compute(frameLengths, frames, masking, StreamSeed(seed, step, 1));
    }

    /// <summary>A seed for one random stream (mask, distractors, Gumbel noise) of one step: SplitMix64 of the three.</summary>
    static int StreamSeed(int seed, long step, int stream)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
