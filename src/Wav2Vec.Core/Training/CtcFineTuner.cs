using System.Diagnostics;
using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>What one fine-tuning update did.</summary>
/// <param name="Step">Update index (0-based).</param>
/// <param name="Loss">CTC loss of the batch (reduction as configured).</param>
/// <param name="LearningRate">Learning rate used.</param>
/// <param name="GradNorm">Global gradient L2 norm before clipping (NaN when the step was skipped before backward).</param>
/// <param name="Skipped">True when the loss or gradient was not finite and the update was not applied.</param>
/// <param name="TransformerFrozen">True while only lm_head trains.</param>
/// <param name="Utterances">Batch size.</param>
/// <param name="Seconds">Wall-clock seconds of the update.</param>
public sealed record FineTuneStepReport(int Step, double Loss, double LearningRate, double GradNorm, bool Skipped, bool TransformerFrozen,
    int Utterances, double Seconds);

/// <summary>
/// CTC fine-tuning of <see cref="Wav2Vec2ForCtc"/> (paper §3.3, §4): one call to <see cref="Step"/> is one update,
/// nanoGPT-style, so a loop, a notebook cell or an Rx pipeline can drive it. The feature encoder stays frozen,
/// the Transformer is frozen for the first updates (only lm_head trains), the learning rate follows the
/// tri-stage schedule, frames and channels are span-masked, gradients are clipped, and a non-finite loss or
/// gradient skips the update and is counted.
/// </summary>
public sealed class CtcFineTuner : IDisposable
{
    readonly Wav2Vec2ForCtc model;
    readonly Tokenizer tokenizer;
    readonly FineTuneSettings settings;
    readonly Device device;
    readonly TorchSharp.Modules.OptimizerHelper optimizer;
    readonly TorchSharp.Modules.CTCLoss ctcLoss;
    readonly FeatureCache? cache;

    public CtcFineTuner(Wav2Vec2ForCtc model, Tokenizer tokenizer, FineTuneSettings settings, Device? device = null)
    {
        if (tokenizer.Vocabulary.Count != model.Config.VocabSize)
            throw new ArgumentException($"the vocabulary has {tokenizer.Vocabulary.Count} tokens but lm_head has {model.Config.VocabSize} outputs.");
        if ((settings.TimeMasking?.Prob ?? 0) > 0 && model.Wav2Vec2.MaskedSpecEmbed is null)
            throw new ArgumentException("time masking needs masked_spec_embed, but the model's config has mask_time_prob = mask_feature_prob = 0.");
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.device = device ?? CPU;
        model.to(this.device);
        if (settings.FreezeFeatureEncoder) model.FreezeFeatureEncoder();
        if (settings.FreezeFeatureEncoder && settings.CacheFeatures) cache = new FeatureCache(model.Wav2Vec2, this.device);
        // fairseq's fine-tuning optimiser: Adam, β = (0.9, 0.98), ε = 1e-8.
        optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad), settings.LearningRate, beta1: 0.9, beta2: 0.98, eps: 1e-8);
        var reduction = settings.LossReduction switch
        {
            "sum" => nn.Reduction.Sum,
            "mean" => nn.Reduction.Mean,
            var other => throw new ArgumentException($"LossReduction: expected 'sum' or 'mean', got '{other}'."),
        };
        ctcLoss = nn.CTCLoss(blank: tokenizer.Vocabulary.Blank, reduction: reduction, zero_infinity: true);
    }

    /// <summary>Updates done so far (skipped ones included, so the schedule advances).</summary>
    public int Updates { get; private set; }

    /// <summary>Updates skipped because the loss or gradient was not finite.</summary>
    public int SkippedUpdates { get; private set; }

    /// <summary>The frozen feature encoder's outputs kept so far (null when not caching).</summary>
    public FeatureCache? Cache => cache;

    /// <summary>The model being trained.</summary>
    public Wav2Vec2ForCtc Model => model;

    /// <summary>Writes the optimiser's state (Adam moments and step counts) for an exact resume.</summary>
    public void SaveState(string optimizerPath) => optimizer.save_state_dict(optimizerPath);

    /// <summary>Restores what <see cref="SaveState"/> wrote, and the update counters the schedule and freezing follow.</summary>
    public void RestoreState(string optimizerPath, int updates, int skippedUpdates)
    {
        optimizer.load_state_dict(optimizerPath);
        Updates = updates;
        SkippedUpdates = skippedUpdates;
    }

    /// <summary>One update on <paramref name="batch"/> (waveforms of any lengths; padded here).</summary>
    public FineTuneStepReport Step(LabelledBatch batch)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int step = Updates++;
        double lr = settings.LearningRates.At(step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        bool frozen = step < settings.FreezeTransformerSteps;
        model.train();

        var targets = batch.Transcripts.Select((t, i) => tokenizer.Encode(t, batch.Ids[i])).ToArray();
        var validFrames = batch.Waveforms.Select(w => (int)FrameLengths.Compute(w.Length, model.Config)).ToArray();
        int frames = validFrames.Max();
        int maskSeed = (int)((settings.Seed * 1_000_003 + step) & int.MaxValue);
        var timeMask = settings.TimeMasking is { Prob: > 0 } time
            ? SpanMasking.ToTensor(SpanMasking.Compute(validFrames, frames, time, maskSeed), device) : null;
        var channelMask = settings.ChannelMasking is { Prob: > 0 } channel
            ? SpanMasking.ToTensor(SpanMasking.ComputeChannels(batch.Waveforms.Count, model.Config.HiddenSize, channel, maskSeed + 1), device) : null;

        // While the Transformer is frozen only lm_head trains: the network runs without building a graph.
        Tensor hidden;
        if (frozen)
            using (no_grad()) hidden = Network(batch, timeMask, channelMask).LastHiddenState.detach();
        else hidden = Network(batch, timeMask, channelMask).LastHiddenState;
        var logits = model.LmHead.forward(nn.functional.dropout(hidden, model.Config.FinalDropout, true));

        // CTC is computed in fp32 whatever the model's dtype; torch wants [T, B, V].
        var logProbs = logits.to(ScalarType.Float32).log_softmax(-1).transpose(0, 1);
        var loss = ctcLoss.forward(logProbs,
            tensor(targets.SelectMany(t => t).Select(id => (long)id).ToArray(), device: device),
            tensor(validFrames.Select(f => (long)f).ToArray(), device: device),
            tensor(targets.Select(t => (long)t.Length).ToArray(), device: device));
        double lossValue = loss.item<float>();
        optimizer.zero_grad();
        if (!double.IsFinite(lossValue)) return Skip(double.NaN);
        loss.backward();
        var trained = (frozen ? model.LmHead.parameters() : model.parameters()).Where(p => p.requires_grad && p.grad is not null).ToList();
        double gradNorm = nn.utils.clip_grad_norm_(trained, settings.ClipNorm > 0 ? settings.ClipNorm : double.PositiveInfinity);
        if (!double.IsFinite(gradNorm))
        {
            optimizer.zero_grad();
            return Skip(gradNorm);
        }
        optimizer.step();
        return new FineTuneStepReport(step, lossValue, lr, gradNorm, false, frozen, batch.Waveforms.Count, clock.Elapsed.TotalSeconds);

        FineTuneStepReport Skip(double norm)
        {
            SkippedUpdates++;
            return new FineTuneStepReport(step, lossValue, lr, norm, true, frozen, batch.Waveforms.Count, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The network's output for a batch: from cached conv features when caching, else from padded waveforms.</summary>
    Wav2Vec2Output Network(LabelledBatch batch, Tensor? timeMask, Tensor? channelMask)
    {
        if (cache is not null)
        {
            var (features, frameMask) = cache.Batch(batch.Ids, batch.Waveforms);
            return model.Wav2Vec2.FromConvFeatures(features, frameMask, timeMask, channelMask);
        }
        var (waveform, attention) = Pad(batch.Waveforms);
        return model.Wav2Vec2.Forward(waveform, attention, timeMask, channelMask);
    }

    /// <summary>Zero-pads waveforms at the end into [B, L_max] with an attention mask [B, L_max] (1 = real sample).</summary>
    (Tensor Waveform, Tensor Attention) Pad(IReadOnlyList<float[]> waveforms)
    {
        int longest = waveforms.Max(w => w.Length);
        var data = new float[waveforms.Count * longest];
        var mask = new long[waveforms.Count * longest];
        for (int b = 0; b < waveforms.Count; b++)
        {
            waveforms[b].CopyTo(data, b * longest);
            Array.Fill(mask, 1L, b * longest, waveforms[b].Length);
        }
        return (tensor(data, [waveforms.Count, longest], device: device), tensor(mask, [waveforms.Count, longest], device: device));
    }

    public void Dispose()
    {
        optimizer.Dispose();
        ctcLoss.Dispose();
        cache?.Dispose();
    }
}
