using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>
/// One BEST-RQ pre-training update (Chiu et al. 2022): per micro-batch, span mask → forward with the mask → targets of
/// the unmasked input (<see cref="Wav2Vec2ForBestRq.Targets"/>: the feature encoder's output does not depend on the
/// mask, which is applied after the feature projection; a frozen encoder copy and log-mel features read the audio
/// itself) → <see cref="BestRqLoss"/> → backward; then clip and step.
/// Masks are the same functions of (seed, step, micro-batch) as in <see cref="PretrainingStep"/>.
/// </summary>
public static class BestRqStep
{
    /// <summary>Update <paramref name="step"/> on <paramref name="batches"/> (audio <c>[batch, samples]</c> on the model's device).</summary>
    public static UpdateReport Run(Wav2Vec2ForBestRq model, optim.Optimizer optimizer, IReadOnlyList<Batch> batches, long step,
        MaskingOptions masking, double maxGradNorm, long seed)
    {
        model.train();
        return TrainingUpdate.Apply(model, optimizer, maxGradNorm, batches, (batch, micro) =>
        {
            var losses = Losses(model, batch.Audio, batch.IsPadded ? batch.Lengths : null, masking, seed, step, micro);
            List<KeyValuePair<string, double>> means =
            [
                new(MetricNames.Accuracy, losses.Accuracy), new(MetricNames.CodePerplexity, losses.CodePerplexity),
                new(MetricNames.ChanceAccuracy, losses.MajorityCode), new("batch_samples", batch.Audio.shape[1]),
            ];
            return new MicroBatchLoss(losses.Loss, means, [new("batch_size", batch.Size)]);
        });
    }

    /// <summary>
    /// The losses of <paramref name="audio"/> <c>[batch, samples]</c> under the mask of (seed, step, micro), with their
    /// graph; call inside a dispose scope.
    /// </summary>
    public static BestRqLosses Losses(Wav2Vec2ForBestRq model, Tensor audio, long[]? sampleLengths, MaskingOptions masking,
        long seed, long step, int micro = 0)
    {
        long batch = audio.shape[0], samples = audio.shape[1];
        var mask = PretrainingStep.BatchMask(model.Config, samples, sampleLengths, batch, masking, seed, step, micro);
        return Losses(model, audio, sampleLengths, SpanMasking.ToTensor(mask, audio.device));
    }

    /// <summary>
    /// The losses of <paramref name="audio"/> <c>[batch, samples]</c> under <paramref name="timeMask"/> [batch, frames]
    /// bool (the dev probe's fixed mask, or a step's), with their graph unless called under no_grad; call inside a dispose scope.
    /// </summary>
    public static BestRqLosses Losses(Wav2Vec2ForBestRq model, Tensor audio, long[]? sampleLengths, Tensor timeMask)
    {
        var output = model.Wav2Vec2.Forward(audio, PretrainingStep.SampleMask(sampleLengths, audio.shape[1], audio.device), timeMask);
        var targets = model.Targets(audio, sampleLengths, output);
        return BestRqLoss.Compute(model.BestRq.Logits(output.LastHiddenState), targets, timeMask, (int)model.BestRq.Codebook.shape[0]);
    }
}
