using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>The parts a training step is split into, in the order they are reported.</summary>
public static class TrainStepParts
{
    /// <summary>Input cast, the conv blocks and the gradient scale of their output.</summary>
    public const string FeatureEncoder = "feature encoder";

    /// <summary>
    /// Layer norm, projection and the masks: pre-training's span mask with the mask embedding and its distractors, CTC's
    /// sample and frame masks.
    /// </summary>
    public const string Projection = "projection and masking";

    /// <summary>Positional conv, the layers, and the cast of the network's outputs back to the weights' dtype.</summary>
    public const string Transformer = "transformer";

    /// <summary>Pre-training: project_hid, quantizer, project_q and the losses; CTC: lm_head and the CTC loss.</summary>
    public const string HeadsAndLoss = "heads and loss";

    /// <summary>The whole <c>loss.backward()</c>.</summary>
    public const string Backward = "backward";

    /// <summary>Disposing the step's forward tensors at the end of the micro-batch.</summary>
    public const string Release = "release";

    /// <summary>The global gradient norm and the clipping.</summary>
    public const string Clipping = "gradient clipping";

    /// <summary>AdamW's step on the float32 weights and the <c>zero_grad</c> before the forward pass.</summary>
    public const string OptimiserStep = "optimiser step";

    /// <summary>Every part, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [FeatureEncoder, Projection, Transformer, HeadsAndLoss, Backward, Release, Clipping, OptimiserStep];
}

/// <summary>
/// The calls <see cref="PretrainingStep.Run"/> and <see cref="CtcStep.Run"/> make on the bench's batch (one micro-batch,
/// no padding in pre-training, no masking in CTC), in the same order on the same modules, with a lap marked after each
/// part. The step functions themselves are monolithic; the profile times its parts against them in the same rounds,
/// so a drift between these calls and theirs shows as parts that no longer add up to the whole step.
/// </summary>
static class TimedStep
{
    /// <summary>One pre-training update of <paramref name="step"/>, timed by part.</summary>
    public static void Pretraining(PretrainingFixture fixture, long step, Laps laps)
    {
        var (model, batch, options) = (fixture.Model, fixture.Batch, fixture.StepOptions);
        var config = model.Config;
        var (projectHid, projectQ) = (Head(model, "project_hid"), Head(model, "project_q"));
        model.train();
        Update(model, fixture.Optimizer, options.MaxGradNorm, laps, () =>
        {
            var device = batch.Audio.device;
            var mask = PretrainingStep.BatchMask(config, batch.Audio.shape[1], null, batch.Size, options.Masking, options.Seed, step);
            var timeMask = SpanMasking.ToTensor(mask, device);
            var negatives = NegativeSampling.ToTensor(
                NegativeSampling.Sample(mask, options.Objective.NumNegatives, TrainingUpdate.Seed(options.Seed, "negatives", step)), device);
            var temperature = options.Temperature.At(step);
            using var gumbel = new Generator((ulong)(uint)TrainingUpdate.Seed(options.Seed, "gumbel", step), device);
            laps.Mark(TrainStepParts.Projection);
            var network = Network(model.Wav2Vec2, batch.Audio, null, timeMask, laps);
            var states = projectHid.forward(network.LastHiddenState);
            var features = nn.functional.dropout(network.ExtractFeatures, config.FeatQuantizerDropout, true);
            var q = model.Quantizer!.Forward(features, temperature, timeMask, gumbel, null, options.GumbelNoise);
            var targets = projectQ.forward(q.Quantized.to(projectQ.weight!.dtype));
            var losses = PretrainingObjective.Compute(new PreTrainingOutput(states, targets, q, network), timeMask, negatives, options.Objective);
            // The step reads every loss term for its metrics, each a synchronising item().
            _ = losses.ToValues();
            laps.Mark(TrainStepParts.HeadsAndLoss);
            return losses.Total;
        });
    }

    /// <summary>One CTC update, timed by part (the bench's step options make it the same at every step number).</summary>
    public static void Ctc(CtcFixture fixture, Laps laps)
    {
        var (model, batch, options) = (fixture.Model, fixture.Batch, fixture.StepOptions);
        var config = model.Config;
        var reduction = config.CtcLossReduction == "sum" ? nn.Reduction.Sum : nn.Reduction.Mean;
        model.train();
        Update(model, fixture.Optimizer, options.ClipNorm, laps, () =>
        {
            var device = batch.Audio.device;
            var validFrames = batch.Lengths.Select(l => (long)FrameLengths.Compute(l, config)).ToArray();
            var attention = arange(batch.Audio.shape[1], device: device).unsqueeze(0)
                .lt(tensor(batch.Lengths, device: device).unsqueeze(1)).to(ScalarType.Int64);
            laps.Mark(TrainStepParts.Projection);
            var hidden = Network(model.Wav2Vec2, batch.Audio, attention, null, laps).LastHiddenState;
            var logits = model.LmHead.forward(nn.functional.dropout(hidden, config.FinalDropout, true));
            var logProbs = logits.to(ScalarType.Float32).log_softmax(-1).transpose(0, 1);
            var loss = nn.functional.ctc_loss(logProbs, batch.Targets!, tensor(validFrames, device: device), batch.TargetLengths!,
                blank: options.Blank, reduction: reduction, zero_infinity: config.CtcZeroInfinity);
            _ = loss.ToDouble();
            laps.Mark(TrainStepParts.HeadsAndLoss);
            return loss;
        });
    }

    /// <summary><see cref="TrainingUpdate.Apply{TBatch}"/> for one micro-batch whose forward pass marks its own parts.</summary>
    static void Update(nn.Module model, optim.Optimizer optimizer, double clipNorm, Laps laps, Func<Tensor> forward)
    {
        laps.Start();
        optimizer.zero_grad();
        laps.Mark(TrainStepParts.OptimiserStep);
        float loss;
        using (NewDisposeScope())
        {
            var total = forward();
            total.backward();
            loss = total.item<float>();
            laps.Mark(TrainStepParts.Backward);
        }
        laps.Mark(TrainStepParts.Release);
        var trained = model.parameters().Where(p => p.requires_grad && p.grad is not null).ToList();
        TrainingUpdate.WithoutCollection(() =>
        {
            var norm = nn.utils.clip_grad_norm_(trained, double.IsFinite(clipNorm) && clipNorm > 0 ? clipNorm : double.PositiveInfinity);
            laps.Mark(TrainStepParts.Clipping);
            if (float.IsFinite(loss) && double.IsFinite(norm)) optimizer.step();
            else optimizer.zero_grad();
            laps.Mark(TrainStepParts.OptimiserStep);
        });
        laps.Stop();
    }

    /// <summary>
    /// <see cref="Wav2Vec2Model.Forward"/> in training mode, feature encoder not frozen, without a channel mask: waveform
    /// <c>[batch, samples]</c> → <see cref="Wav2Vec2Output"/> in the weights' dtype, a lap marked after the feature
    /// encoder, the projection with its masks, and the Transformer with the output casts.
    /// </summary>
    static Wav2Vec2Output Network(Wav2Vec2Model network, Tensor waveform, Tensor? attentionMask, Tensor? timeMask, Laps laps)
    {
        var config = network.Config;
        var conv = GradientScale.Apply(network.FeatureEncoder.Forward(waveform.to(network.ComputeType ?? network.ParameterType)), config.FeatureGradMult);
        laps.Mark(TrainStepParts.FeatureEncoder);
        var frameMask = attentionMask is null ? null : FrameLengths.FrameMask(attentionMask, conv.shape[1], config);
        var lengths = frameMask is null
            ? Enumerable.Repeat(conv.shape[1], (int)conv.shape[0]).ToArray()
            : frameMask.sum(1).cpu().data<long>().ToArray();
        var (projected, extract) = network.FeatureProjection.Forward(conv);
        if (timeMask is not null) projected = where(timeMask.unsqueeze(-1), network.MaskedSpecEmbed!.to(projected.dtype), projected);
        laps.Mark(TrainStepParts.Projection);
        var encoded = network.Encoder.Forward(projected, frameMask);
        // Under mixed precision the network hands float32 outputs to the heads, one cast per distinct tensor.
        var dtype = network.ParameterType;
        var cast = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        Tensor To(Tensor t) => t.dtype == dtype ? t : cast.TryGetValue(t, out var c) ? c : cast[t] = t.to(dtype);
        var output = new Wav2Vec2Output(To(conv), To(extract), To(projected),
            encoded with { HiddenStates = [.. encoded.HiddenStates.Select(To)], LastHiddenState = To(encoded.LastHiddenState) }, frameMask, lengths);
        laps.Mark(TrainStepParts.Transformer);
        return output;
    }

    /// <summary>A projection head of the pre-training model by its Hugging Face name (the model keeps them private).</summary>
    static Linear Head(Wav2Vec2ForPreTraining model, string name) => (Linear)model.named_children().Single(c => c.name == name).module;
}
