using TorchSharp;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>What one CTC fine-tuning update needs besides the model, the optimiser and the batches.</summary>
/// <param name="FreezeTransformerSteps">Updates during which only <c>lm_head</c> trains (paper: 10k for the 10 min/1 h splits).</param>
/// <param name="TimeMasking">Span masking over frames with the learned mask embedding (paper: p = 0.075, M = 10 for 10 min).</param>
/// <param name="ChannelMasking">Span masking over channels, zeroed (paper: p = 0.008, M = 64).</param>
/// <param name="ClipNorm">Global gradient L2 norm the update is clipped to; ≤ 0 or infinity disables clipping.</param>
/// <param name="Seed">Run seed: masks are drawn from (seed, stream, step).</param>
/// <param name="Blank">The vocabulary's CTC blank (<c>&lt;pad&gt;</c>, 0 in wav2vec 2.0 vocabularies).</param>
public sealed record CtcStepOptions(
    int FreezeTransformerSteps = 0, MaskingOptions? TimeMasking = null, MaskingOptions? ChannelMasking = null, double ClipNorm = 1.0, long Seed = 1,
    int Blank = 0);

/// <summary>
/// One CTC fine-tuning update of <see cref="Wav2Vec2ForCtc"/> (paper §3.3, §4), the same kind of function as
/// <see cref="PretrainingStep.Run"/>: per micro-batch, time and channel span masks → network (from cached conv features
/// when a <see cref="FeatureCache"/> is given) → <c>lm_head</c> → CTC loss → backward; then clip and step
/// (<see cref="TrainingUpdate"/>). The Transformer is frozen for the first updates (only <c>lm_head</c> trains). The
/// loss follows the model config: <c>ctc_loss_reduction</c>, <c>ctc_zero_infinity</c>, and no masking at all when
/// <c>apply_spec_augment</c> is false.
/// </summary>
public static class CtcStep
{
    /// <summary>
    /// Update <paramref name="step"/> (0-based) on <paramref name="batches"/>: padded audio <c>[batch, samples]</c> with
    /// lengths and targets (<see cref="BatchOperators.Pad"/>), on the model's device.
    /// </summary>
    public static UpdateReport Run(Wav2Vec2ForCtc model, optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step,
        CtcStepOptions options, FeatureCache? cache = null)
    {
        var config = model.Config;
        var frozen = step < options.FreezeTransformerSteps;
        var time = config.ApplySpecAugment && options.TimeMasking is { Prob: > 0 } t ? t : null;
        var channel = config.ApplySpecAugment && options.ChannelMasking is { Prob: > 0 } c ? c : null;
        if (time is not null && model.Wav2Vec2.MaskedSpecEmbed is null)
            throw new ArgumentException("time masking needs masked_spec_embed, but the model's config has mask_time_prob = mask_feature_prob = 0.");
        var reduction = config.CtcLossReduction switch
        {
            "sum" => nn.Reduction.Sum,
            "mean" => nn.Reduction.Mean,
            var other => throw new ArgumentException($"ctc_loss_reduction: expected 'sum' or 'mean', got '{other}'."),
        };
        model.train();
        return TrainingUpdate.Apply(model, optimizer, options.ClipNorm, batches, (batch, micro) =>
        {
            if (batch.Targets is null || batch.TargetLengths is null)
                throw new ArgumentException("a fine-tuning batch needs targets: collate it with Pad(labels).");
            var device = batch.Audio.device;
            var validFrames = batch.Lengths.Select(l => (int)FrameLengths.Compute(l, config)).ToArray();
            var frames = validFrames.Max();
            var timeMask = time is null ? null
                : SpanMasking.ToTensor(SpanMasking.Compute(validFrames, frames, time, TrainingUpdate.Seed(options.Seed, "time-mask", step, micro)), device);
            var channelMask = channel is null ? null
                : SpanMasking.ToTensor(SpanMasking.ComputeChannels(batch.Size, config.HiddenSize, channel, TrainingUpdate.Seed(options.Seed, "channel-mask", step, micro)), device);

            StepTiming.Mark(StepTiming.Projection);
            // While the Transformer is frozen only lm_head trains: the network runs without building a graph.
            Tensor hidden;
            if (frozen)
                using (no_grad()) hidden = Network(model, batch, timeMask, channelMask, cache).LastHiddenState.detach();
            else hidden = Network(model, batch, timeMask, channelMask, cache).LastHiddenState;
            var logits = model.LmHead.forward(Dropouts.Apply(hidden, config.FinalDropout, true));

            // CTC is computed in fp32 whatever the model's dtype; torch wants [T, B, V].
            var logProbs = logits.to(ScalarType.Float32).log_softmax(-1).transpose(0, 1);
            var loss = nn.functional.ctc_loss(logProbs, batch.Targets, tensor(validFrames.Select(f => (long)f).ToArray(), device: device),
                batch.TargetLengths, blank: options.Blank, reduction: reduction, zero_infinity: config.CtcZeroInfinity);
            return new MicroBatchLoss(loss, [new(MetricNames.Ctc, loss.ToDouble()), new("transformer_frozen", frozen ? 1 : 0)],
                [new("batch_size", batch.Size)]);
        });
    }

    /// <summary>The network's output for a batch: from cached conv features when caching, else from the padded waveforms.</summary>
    static Wav2Vec2Output Network(Wav2Vec2ForCtc model, Batch batch, Tensor? timeMask, Tensor? channelMask, FeatureCache? cache)
    {
        if (cache is not null)
        {
            var (features, frameMask) = cache.Batch(batch.Ids, batch.Audio, batch.Lengths);
            return model.Wav2Vec2.FromConvFeatures(features, frameMask, timeMask, channelMask);
        }
        var attention = arange(batch.Audio.shape[1], device: batch.Audio.device).unsqueeze(0)
            .lt(tensor(batch.Lengths, device: batch.Audio.device).unsqueeze(1)).to(ScalarType.Int64);
        return model.Wav2Vec2.Forward(batch.Audio, attention, timeMask, channelMask);
    }

}
