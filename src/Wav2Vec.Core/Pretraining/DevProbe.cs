using System.Reactive.Concurrency;
using System.Reactive.Linq;
using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// A fixed held-out batch on which a pre-training model is measured in eval mode: the same crops, span mask and
/// distractors every time, argmax codes, no dropout and no Gumbel noise, so successive measurements differ only by
/// the weights. Training accuracy is noisy (new crops, masks and Gumbel noise every step) and can come from memorising
/// a small pool; the dev batch comes from voices the pre-training pool never had (the default corpus's <c>dev</c>
/// split), so rising dev accuracy means the context network predicts speech it has not heard. It measures either
/// objective: the contrastive task of a <see cref="Wav2Vec2ForPreTraining"/>, or BEST-RQ's code prediction of a
/// <see cref="Wav2Vec2ForBestRq"/> on the same crops and mask (the distractors unused). Holds plain arrays
/// only (nothing to dispose).
/// </summary>
public sealed class DevProbe
{
    readonly float[] audio;
    readonly bool[][] mask;
    readonly int[][][] negatives;
    readonly int groups, entries;

    DevProbe(float[] audio, int rows, int samples, bool[][] mask, int[][][] negatives, Wav2Vec2Config config, ObjectiveOptions objective, long seed)
    {
        (this.audio, this.mask, this.negatives) = (audio, mask, negatives);
        (Rows, Samples, Objective, Seed) = (rows, samples, objective, seed);
        (groups, entries) = (config.NumCodevectorGroups, config.NumCodevectorsPerGroup);
        MaskedFrames = SpanMasking.MaskedCounts(mask).Sum();
    }

    /// <summary>Rows of the batch.</summary>
    public int Rows { get; }

    /// <summary>Samples per row (every row is cropped to the same length, as pre-training crops).</summary>
    public int Samples { get; }

    /// <summary>Masked frames in the batch (the N the accuracy and loss average over).</summary>
    public int MaskedFrames { get; }

    /// <summary>K, κ (α and β do not enter the reported values).</summary>
    public ObjectiveOptions Objective { get; }

    /// <summary>The seed crops, mask, distractors and the agreement's draws came from.</summary>
    public long Seed { get; }

    /// <summary>
    /// Builds the batch from a manifest split (e.g. <c>data/tts-en</c>, <c>dev</c>): <see cref="DevProbeOptions.Utterances"/>
    /// utterances chosen by seed (those at least one crop long first), decoded, cropped to the shortest of them but at
    /// most <see cref="DevProbeOptions.CropSamples"/> at seeded offsets. Errors name the manifest (missing, empty) or the
    /// audio file (<see cref="AudioDecodeException"/>).
    /// </summary>
    /// <param name="folder">Corpus folder holding <c>SPLIT.tsv</c>.</param>
    /// <param name="split">Split name; labels are not needed.</param>
    /// <param name="config">The model's config (frame count and codebook size).</param>
    /// <param name="masking">Span masking as pre-training uses it.</param>
    /// <param name="objective">K and κ as pre-training uses them.</param>
    /// <param name="options">Batch size, crop length, seed and decoding; <see cref="DevProbeOptions.Default"/> when null.</param>
    public static DevProbe FromManifest(string folder, string split, Wav2Vec2Config config, MaskingOptions masking, ObjectiveOptions objective,
        DevProbeOptions? options = null) =>
        FromManifest(ManifestFiles.Read(folder, split), ManifestFiles.TsvPath(folder, split), config, masking, objective, options);

    /// <summary>
    /// As <see cref="FromManifest(string, string, Wav2Vec2Config, MaskingOptions, ObjectiveOptions, DevProbeOptions?)"/>,
    /// from a manifest already read (e.g. without the files a run skips); <paramref name="source"/> names it in errors.
    /// </summary>
    /// <param name="manifest">The split, read already.</param>
    /// <param name="source">Names the manifest in errors.</param>
    /// <param name="config">The model's config.</param>
    /// <param name="masking">Span masking as pre-training uses it.</param>
    /// <param name="objective">K and κ as pre-training uses them.</param>
    /// <param name="options">Batch size, crop length, seed and decoding.</param>
    /// <param name="prepare">
    /// Turns the chosen utterances into audio; a run passes its own data path (<c>CorpusAudio.Prepare</c>: decoding limits,
    /// silence trimming, standardisation), so dev crops are made as training crops are. When null:
    /// <see cref="DevProbeOptions.Decode"/>, then standardisation when <see cref="DevProbeOptions.Normalize"/>.
    /// </param>
    public static DevProbe FromManifest(Manifest manifest, string source, Wav2Vec2Config config, MaskingOptions masking, ObjectiveOptions objective,
        DevProbeOptions? options = null, Func<IObservable<Utterance>, IObservable<AudioUtterance>>? prepare = null)
    {
        options = (options ?? DevProbeOptions.Default).Validate();
        if (manifest.Entries.Count == 0)
            throw new ArgumentException($"{source}: no utterances for the dev probe.", nameof(manifest));
        var chosen = SeededRandom.Shuffle(manifest.Entries, options.Seed, "dev-probe-choice")
            .OrderBy(e => e.NumSamples >= options.CropSamples ? 0 : 1)
            .Take(options.Utterances)
            .Select(e => new Utterance(e.Id, manifest.FullPath(e), e.NumSamples, e.Letters))
            .ToObservable(ImmediateScheduler.Instance);
        prepare ??= u => u.Decode(options.Decode, BadAudioPolicy.Fail).Standardize(options.Normalize);
        var audio = prepare(chosen).ToEnumerable().ToList();
        if (audio.Count == 0)
            throw new ArgumentException($"{source}: no usable utterance for the dev probe.", nameof(manifest));
        return FromAudio(audio, config, masking, objective, options.CropSamples, options.Seed);
    }

    /// <summary>The probe on decoded utterances (16 kHz mono), cropped as in <see cref="FromManifest(string, string, Wav2Vec2Config, MaskingOptions, ObjectiveOptions, DevProbeOptions?)"/>.</summary>
    public static DevProbe FromAudio(IReadOnlyList<AudioUtterance> utterances, Wav2Vec2Config config, MaskingOptions masking,
        ObjectiveOptions objective, int cropSamples, long seed)
    {
        if (utterances.Count == 0) throw new ArgumentException("the dev probe needs at least one utterance.", nameof(utterances));
        objective.Validate();
        masking.Validate();
        var batch = Collate.CropToShortest(utterances, SeededRandom.For(seed, "dev-probe-crop"), cropSamples);
        var frames = (int)FrameLengths.Compute(batch.Samples, config);
        var mask = SpanMasking.Compute(Enumerable.Repeat(frames, batch.BatchSize).ToArray(), frames, masking, SeededRandom.For(seed, "dev-probe-mask").Next());
        if (SpanMasking.MaskedCounts(mask).Sum() == 0)
            throw new ArgumentException(
                $"masking (p = {masking.Prob}, M = {masking.Length}) leaves no masked frame in {frames}-frame crops of the dev probe; use longer crops.",
                nameof(masking));
        var distractors = NegativeSampling.Sample(mask, objective.NumNegatives, SeededRandom.For(seed, "dev-probe-negatives").Next());
        return new DevProbe(batch.Audio, batch.BatchSize, batch.Samples, mask, distractors, config, objective, seed);
    }

    /// <summary>
    /// Accuracy, contrastive loss and diagnostics of <paramref name="model"/> on the batch, in eval mode under no_grad;
    /// every module's training flag is restored afterwards, and nothing draws from libtorch's global generator, so
    /// probing in the middle of a run does not change the run.
    /// </summary>
    /// <exception cref="ArgumentException">The model's frame count or codebook size differs from the config the probe was built for.</exception>
    public DevProbeResult Measure(Wav2Vec2ForPreTraining model)
    {
        var config = model.Config;
        if (config.NumCodevectorGroups != groups || config.NumCodevectorsPerGroup != entries)
            throw new ArgumentException(
                $"the dev probe was built for {groups}×{entries} codes, the model has {config.NumCodevectorGroups}×{config.NumCodevectorsPerGroup}.", nameof(model));
        return InEvalMode(model, (waveform, timeMask) =>
        {
            var output = model.Forward(waveform, timeMask: timeMask);
            RequireFrames(output.ProjectedStates.shape[1]);
            var losses = PretrainingObjective.Compute(output, timeMask, NegativeSampling.ToTensor(negatives, waveform.device), Objective);
            // Chance of the task posed: distractors equal to their positive are left out (see ContrastiveLoss.Chance).
            var chance = ContrastiveLoss.Chance(losses.Logits!);
            return new DevProbeResult(
                losses.Accuracy.item<float>(), losses.Contrastive.item<float>() / losses.MaskedFrames,
                chance.Accuracy, chance.Contrastive, losses.Perplexity.item<float>(),
                PretrainingDiagnostics.Measure(output, losses, timeMask, Seed));
        });
    }

    /// <summary>
    /// A BEST-RQ model on the same batch and mask, in eval mode under no_grad (modes restored, global generator
    /// untouched): masked-frame accuracy and cross-entropy of its codes, the codes' perplexity and the chance level
    /// (the frequency of the commonest target code at the masked frames). The targets are those the run trains on
    /// (<see cref="Wav2Vec2ForBestRq.Targets"/>), so with <c>cnn</c> features they move with the encoder between probes.
    /// </summary>
    /// <exception cref="ArgumentException">The model's frame count differs from the config the probe was built for.</exception>
    public BestRqDevResult Measure(Wav2Vec2ForBestRq model) =>
        InEvalMode(model, (waveform, timeMask) =>
        {
            RequireFrames(FrameLengths.Compute(Samples, model.Config));
            var losses = BestRqStep.Losses(model, waveform, null, timeMask);
            return new BestRqDevResult(losses.Accuracy, losses.Loss.item<float>(), losses.CodePerplexity, losses.MajorityCode);
        });

    /// <summary>
    /// <paramref name="measure"/> of the batch (waveform [Rows, Samples] and time mask on the model's device) with
    /// <paramref name="model"/> in eval mode under no_grad inside a dispose scope, with the collector held off
    /// (<see cref="TorchSharpScalars"/>); every module's flag restored after.
    /// </summary>
    T InEvalMode<T>(nn.Module model, Func<Tensor, Tensor, T> measure)
    {
        var modules = new List<nn.Module> { model };
        modules.AddRange(model.modules());
        var modes = modules.Select(m => m.training).ToList();
        try
        {
            model.eval();
            // The forward pass and the diagnostics run the arithmetic of an update, with the collector held off as there.
            return TorchSharpScalars.WithoutCollection(() =>
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                var weight = model.parameters().First();
                var waveform = torch.tensor(audio, [Rows, Samples], device: weight.device).to_type(weight.dtype);
                return measure(waveform, SpanMasking.ToTensor(mask, weight.device));
            });
        }
        finally
        {
            for (var i = 0; i < modules.Count; i++) modules[i].train(modes[i]);
        }
    }

    void RequireFrames(long frames)
    {
        if (frames != mask[0].Length)
            throw new ArgumentException($"the dev probe was built for {mask[0].Length} frames per row, the model gives {frames}.", "model");
    }
}
