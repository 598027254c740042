using TorchSharp;
using Wav2Vec.Corpus;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>What one micro-batch contributed to an update: its loss (with its graph) and what to report about it.</summary>
/// <param name="Loss">Scalar loss to back-propagate.</param>
/// <param name="Means">Metrics averaged over the update's micro-batches (loss terms, accuracy, perplexity, …).</param>
/// <param name="Sums">Metrics summed over them (counts such as <c>batch_size</c>).</param>
public sealed record MicroBatchLoss(Tensor Loss, IReadOnlyList<KeyValuePair<string, double>> Means, IReadOnlyList<KeyValuePair<string, double>> Sums);

/// <summary>What one optimiser update did: the same record for every objective.</summary>
/// <param name="Loss">The loss, averaged over the micro-batches.</param>
/// <param name="GradNorm">Global L2 norm of the accumulated gradient before clipping.</param>
/// <param name="Skipped">True when the loss or the gradient was not finite: the parameters were left unchanged.</param>
/// <param name="Metrics">The objective's metrics (<see cref="MicroBatchLoss.Means"/> averaged, <see cref="MicroBatchLoss.Sums"/> summed).</param>
public sealed record UpdateReport(double Loss, double GradNorm, bool Skipped, IReadOnlyList<KeyValuePair<string, double>> Metrics);

/// <summary>
/// The update both objectives share, nanoGPT's inner loop: clear the gradients, back-propagate each micro-batch's
/// loss divided by their number (gradient accumulation), clip the global norm, and step, unless the loss or the
/// gradient is not finite, which would poison every weight through Adam's moments: then the update is skipped.
/// </summary>
public static class TrainingUpdate
{
    /// <summary>
    /// One update over <paramref name="microBatches"/>. <paramref name="forward"/> gives the loss of micro-batch k
    /// (called inside a dispose scope, in order); the gradients clipped and applied are those of the parameters
    /// that received one. <paramref name="afterBackward"/>, when given, measures the accumulated gradients before
    /// clipping (e.g. per-part norms); its metrics join the report. The whole update runs with the garbage collector
    /// held off (<see cref="TorchSharpScalars.WithoutCollection{T}"/>).
    /// </summary>
    public static UpdateReport Apply<TBatch>(nn.Module model, optim.Optimizer optimizer, double clipNorm,
        IReadOnlyList<TBatch> microBatches, Func<TBatch, int, MicroBatchLoss> forward,
        Func<IEnumerable<KeyValuePair<string, double>>>? afterBackward = null)
    {
        if (microBatches.Count == 0) throw new ArgumentException("an update needs at least one micro-batch.", nameof(microBatches));
        return TorchSharpScalars.WithoutCollection(() => Update(model, optimizer, clipNorm, microBatches, forward, afterBackward));
    }

    static UpdateReport Update<TBatch>(nn.Module model, optim.Optimizer optimizer, double clipNorm,
        IReadOnlyList<TBatch> microBatches, Func<TBatch, int, MicroBatchLoss> forward,
        Func<IEnumerable<KeyValuePair<string, double>>>? afterBackward)
    {
        optimizer.zero_grad();
        StepTiming.Mark(StepTiming.OptimiserStep);
        var losses = new double[microBatches.Count];
        var means = new List<KeyValuePair<string, double>>();
        var sums = new List<KeyValuePair<string, double>>();
        // An explicit scalar, alive until the loop ends: TorchSharp lets the finalizer free an implicit one mid-call.
        using var share = (1.0 / microBatches.Count).ToScalar();
        for (var k = 0; k < microBatches.Count; k++)
        {
            using (NewDisposeScope())
            {
                var micro = forward(microBatches[k], k);
                var loss = microBatches.Count == 1 ? micro.Loss : micro.Loss.mul(share);
                StepTiming.Mark(StepTiming.HeadsAndLoss);
                loss.backward();
                losses[k] = micro.Loss.item<float>();
                StepTiming.Mark(StepTiming.Backward);
                means.AddRange(micro.Means);
                sums.AddRange(micro.Sums);
            }
            StepTiming.Mark(StepTiming.Release);
        }
        if (afterBackward is not null) means.AddRange(afterBackward());
        var trained = model.parameters().Where(p => p.requires_grad && p.grad is not null).ToList();
        var lossMean = losses.Average();
        var gradNorm = trained.Count == 0 ? 0 : nn.utils.clip_grad_norm_(trained, double.IsFinite(clipNorm) && clipNorm > 0 ? clipNorm : double.PositiveInfinity);
        StepTiming.Mark(StepTiming.Clipping);
        var skipped = !double.IsFinite(lossMean) || !double.IsFinite(gradNorm);
        if (skipped) optimizer.zero_grad();
        else optimizer.step();
        StepTiming.Mark(StepTiming.OptimiserStep);
        IEnumerable<KeyValuePair<string, double>> metrics = means.GroupBy(m => m.Key).Select(g => KeyValuePair.Create(g.Key, g.Average(m => m.Value)))
            .Concat(sums.GroupBy(m => m.Key).Select(g => KeyValuePair.Create(g.Key, g.Sum(m => m.Value))));
        return new UpdateReport(lossMean, gradNorm, skipped, metrics.ToList());
    }

    /// <summary>
    /// The seed of random stream <paramref name="stream"/> (masks, distractors, Gumbel noise) for micro-batch
    /// <paramref name="micro"/> of update <paramref name="step"/>: <see cref="SeededRandom.Seed"/> of (seed, stream, step),
    /// each micro-batch after the first drawing from a stream of its own.
    /// </summary>
    public static int Seed(long seed, string stream, long step, int micro = 0) =>
        SeededRandom.Seed(seed, micro == 0 ? stream : $"{stream}.{micro}", step);
}
