using TorchSharp;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>What one pre-training update needs besides the model, the optimiser and the batches.</summary>
/// <param name="Masking">Span masking over frames (paper: p = 0.65, M = 10).</param>
/// <param name="Objective">K, κ, α, β of the loss.</param>
/// <param name="Temperature">Gumbel temperature schedule of the quantizer.</param>
/// <param name="MaxGradNorm">Global L2 norm the gradients are clipped to; ≤ 0 or infinity disables clipping.</param>
/// <param name="Seed">Run seed: masks, distractors and Gumbel noise are drawn from (seed, stream, step).</param>
/// <param name="DiagnosticsEvery">
/// Every this many updates (and at update 0) the first micro-batch is also measured with
/// <see cref="PretrainingDiagnostics"/> (code agreement, logit spreads, cosines, feature scales, gradient norms per
/// part); 0 never. Measuring reads values only: the run's random streams and weights are the same either way.
/// </param>
/// <param name="GumbelNoise">
/// False trains the quantizer without Gumbel draws (paper Table 5, "no Gumbel noise"): hard codes are the argmax of
/// its logits, the gradient that of softmax(logits/τ). Not read for a model with continuous targets.
/// </param>
public sealed record PretrainingStepOptions(
    MaskingOptions Masking, ObjectiveOptions Objective, GumbelTemperatureSchedule Temperature, double MaxGradNorm = 10.0, long Seed = 1,
    int DiagnosticsEvery = 0, bool GumbelNoise = true)
{
    /// <summary>Masking and objective from <paramref name="config"/>'s HF fields, the paper's temperature schedule.</summary>
    public static PretrainingStepOptions From(Wav2Vec2Config config) =>
        new(MaskingOptions.TimeFrom(config), ObjectiveOptions.From(config), GumbelTemperatureSchedule.Default);
}

/// <summary>
/// One wav2vec 2.0 pre-training update (paper §3–4), nanoGPT style: per micro-batch, frame lengths → span mask →
/// forward with the mask → distractors → <see cref="PretrainingLosses"/> → backward; then clip and step
/// (<see cref="TrainingUpdate"/>). Masks, distractors and Gumbel noise are functions of (seed, stream, step), so a run
/// is repeatable on CPU with one thread.
/// </summary>
public static class PretrainingStep
{
    /// <summary>
    /// Update <paramref name="step"/> (0-based; it drives the temperature schedule and the randomness) on
    /// <paramref name="batches"/>: audio <c>[batch, samples]</c> on the model's device, with per-row lengths when padded.
    /// </summary>
    public static UpdateReport Run(Wav2Vec2ForPreTraining model, optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step,
        PretrainingStepOptions options)
    {
        model.train();
        var diagnose = options.DiagnosticsEvery > 0 && step % options.DiagnosticsEvery == 0;
        return TrainingUpdate.Apply(model, optimizer, options.MaxGradNorm, batches, (batch, micro) =>
        {
            var (losses, output, timeMask) = Forward(model, batch.Audio, batch.IsPadded ? batch.Lengths : null, options, step, out var temperature, micro);
            var v = losses.ToValues();
            List<KeyValuePair<string, double>> means =
            [
                new(MetricNames.Contrastive, v.ContrastiveMean), new(MetricNames.FeaturePenalty, v.FeaturePenalty),
                new(MetricNames.Accuracy, v.Accuracy), new("batch_samples", batch.Audio.shape[1]),
            ];
            // Continuous targets have no quantizer: its terms and metrics are left out rather than logged as NaN.
            if (output.Quantizer is not null)
                means.AddRange([
                    new(MetricNames.Diversity, v.Diversity), new(MetricNames.Perplexity, v.Perplexity),
                    new("code_usage", v.CodeUsage), new(MetricNames.Temperature, temperature),
                ]);
            if (diagnose && micro == 0)
                means.AddRange(PretrainingDiagnostics.Measure(output, losses, timeMask, TrainingUpdate.Seed(options.Seed, "diagnostics", step)).ToMetrics());
            return new MicroBatchLoss(losses.Total, means, [new("batch_size", batch.Size)]);
        }, diagnose ? () => GradientNorms.ByPart(model).Select(g => KeyValuePair.Create(DiagnosticNames.GradNorm(g.Key), g.Value)) : null);
    }

    /// <summary>
    /// The forward half of <see cref="Run"/>: the losses of <paramref name="audio"/> <c>[batch, samples]</c> under the
    /// mask and distractors of (seed, step, <paramref name="micro"/>), with their graph. Call it inside a dispose scope
    /// (the model's outputs live there); for evaluation, in eval mode under no_grad.
    /// </summary>
    public static PretrainingLosses Losses(Wav2Vec2ForPreTraining model, Tensor audio, long[]? sampleLengths,
        PretrainingStepOptions options, long step, out double temperature, int micro = 0) =>
        Forward(model, audio, sampleLengths, options, step, out temperature, micro).Losses;

    static (PretrainingLosses Losses, PreTrainingOutput Output, Tensor TimeMask) Forward(Wav2Vec2ForPreTraining model, Tensor audio,
        long[]? sampleLengths, PretrainingStepOptions options, long step, out double temperature, int micro)
    {
        var config = model.Config;
        long batch = audio.shape[0], samples = audio.shape[1];
        var mask = BatchMask(config, samples, sampleLengths, batch, options.Masking, options.Seed, step, micro);
        var timeMask = SpanMasking.ToTensor(mask, audio.device);
        var negatives = NegativeSampling.ToTensor(
            NegativeSampling.Sample(mask, options.Objective.NumNegatives, TrainingUpdate.Seed(options.Seed, "negatives", step, micro)), audio.device);
        var attentionMask = SampleMask(sampleLengths, samples, audio.device);
        temperature = options.Temperature.At(step);
        using var gumbel = new Generator((ulong)(uint)TrainingUpdate.Seed(options.Seed, "gumbel", step, micro), audio.device);
        StepTiming.Mark(StepTiming.Projection);
        var output = model.Forward(audio, attentionMask, timeMask, temperature, gumbel, withNoise: options.GumbelNoise);
        // The quantizer averages its softmax over the masked frames (timeMask), as Hugging Face does for eq. 4.
        var losses = PretrainingObjective.Compute(output, timeMask, negatives, options.Objective);
        return (losses, output, timeMask);
    }

    /// <summary>[B, samples] bool, true on each row's first <paramref name="sampleLengths"/> samples; null when every sample is real.</summary>
    internal static Tensor? SampleMask(long[]? sampleLengths, long samples, Device device) =>
        sampleLengths is null
            ? null
            : torch.arange(samples, device: device).unsqueeze(0).lt(torch.tensor(sampleLengths, device: device).unsqueeze(1));

    /// <summary>
    /// The span mask bool[batch][frames] that <see cref="Losses"/> uses for a batch of <paramref name="batch"/> rows of
    /// <paramref name="samples"/> samples (real samples per row in <paramref name="sampleLengths"/>, all when null):
    /// frame lengths by the conv length formula, then <see cref="SpanMasking.Compute"/> with the mask seed of
    /// (<paramref name="seed"/>, step, micro-batch).
    /// </summary>
    public static bool[][] BatchMask(Wav2Vec2Config config, long samples, long[]? sampleLengths, long batch,
        MaskingOptions masking, long seed, long step, int micro = 0)
    {
        if (sampleLengths is not null && sampleLengths.Length != batch)
            throw new ArgumentException($"{sampleLengths.Length} sample lengths for a batch of {batch} rows.", nameof(sampleLengths));
        var frames = (int)FrameLengths.Compute(samples, config);
        var frameLengths = Enumerable.Range(0, (int)batch)
            .Select(b => sampleLengths is null ? frames : (int)FrameLengths.Compute(Math.Min(sampleLengths[b], samples), config))
            .ToArray();
        return SpanMasking.Compute(frameLengths, frames, masking, TrainingUpdate.Seed(seed, "mask", step, micro));
    }

}
