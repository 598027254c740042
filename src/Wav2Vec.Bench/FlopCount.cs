using Wav2Vec.Model;
using Wav2Vec.Training;

namespace Wav2Vec.Bench;

/// <summary>Floating-point operations of one layer of the forward pass (2 per multiply-add).</summary>
public sealed record LayerFlops(string Layer, double Flops);

/// <summary>
/// FLOPs of a CTC model's forward pass on one utterance, layer by layer: the convolutions and matrix products
/// (2 per multiply-add). Norms, activations, softmax and bias additions are linear in the activations' size and
/// left out, as in the usual model FLOP counts.
/// </summary>
public static class FlopCount
{
    /// <summary>The layers of <paramref name="config"/> (CTC head included) for one utterance of <paramref name="samples"/> samples.</summary>
    public static IReadOnlyList<LayerFlops> Forward(Wav2Vec2Config config, long samples)
    {
        var layers = new List<LayerFlops>();
        var lengths = FrameLengths.PerLayer(samples, config.ConvKernel, config.ConvStride);
        long channels = 1;
        for (var i = 0; i < config.NumFeatExtractLayers; i++)
        {
            layers.Add(new($"conv {i}", 2.0 * lengths[i] * config.ConvDim[i] * channels * config.ConvKernel[i]));
            channels = config.ConvDim[i];
        }
        long frames = lengths.Length == 0 ? samples : lengths[^1], d = config.HiddenSize, k = config.NumConvPosEmbeddings;
        layers.Add(new("feature projection", 2.0 * frames * channels * d));
        // Padding K/2 on both sides computes T + 2·(K/2) − K + 1 frames (one extra, dropped, for an even K).
        var positional = frames + 2 * (k / 2) - k + 1;
        layers.Add(new("positional conv", 2.0 * positional * d * (d / config.NumConvPosEmbeddingGroups) * k));
        for (var n = 0; n < config.NumHiddenLayers; n++)
        {
            layers.Add(new($"layer {n} attention projections", 4 * 2.0 * frames * d * d));
            layers.Add(new($"layer {n} attention scores and values", 2 * 2.0 * frames * frames * d));
            layers.Add(new($"layer {n} feed-forward", 2 * 2.0 * frames * d * config.IntermediateSize));
        }
        layers.Add(new("lm_head", 2.0 * frames * d * config.VocabSize));
        return layers;
    }

    /// <summary>Sum of <see cref="Forward"/>.</summary>
    public static double Total(Wav2Vec2Config config, long samples) => Forward(config, samples).Sum(l => l.Flops);
}

/// <summary>
/// The matrix-product FLOPs of one part of a training step (<see cref="StepTiming.Parts"/>), split by
/// the dtype they run in under mixed precision: the network's products take the compute dtype, the pre-training heads
/// stay float32.
/// </summary>
/// <param name="Part">A <see cref="StepTiming"/> part name.</param>
/// <param name="NetworkFlops">Products of the network (feature encoder, projection, positional conv, Transformer, CTC head).</param>
/// <param name="HeadFlops">Products of the pre-training heads (project_hid, the quantizer's weight_proj, project_q).</param>
public sealed record PartFlops(string Part, double NetworkFlops, double HeadFlops)
{
    /// <summary>
    /// The time these products take at libtorch's matmul rates (GFLOP/s): the network's at <paramref name="networkRate"/>,
    /// the heads' at <paramref name="float32Rate"/>. A part cannot run faster than this with libtorch's GEMM.
    /// </summary>
    public double FloorMs(double networkRate, double float32Rate) => (NetworkFlops / networkRate + HeadFlops / float32Rate) / 1e6;
}

/// <summary>
/// FLOPs of one training step's matrix products by part, for a batch of equal utterances: the forward parts as
/// <see cref="FlopCount.Forward"/> counts them (the pre-training step adds its heads' products and drops the CTC head),
/// and the backward pass at twice the forward's products (the gradients of both operands), less the first convolution's
/// input gradient, which the waveform does not need. Element-wise work (norms, activations, softmax, dropout, the Gumbel
/// softmax, cosine logits, losses, the optimiser) is left out: the floor is what the products alone take.
/// </summary>
public static class TrainingFlops
{
    /// <summary>The parts of a pre-training (<paramref name="pretraining"/>) or CTC step over <paramref name="batch"/> utterances of <paramref name="samples"/> samples.</summary>
    public static IReadOnlyList<PartFlops> Step(Wav2Vec2Config config, bool pretraining, int batch, long samples)
    {
        var layers = FlopCount.Forward(config, samples);
        double Sum(Func<string, bool> which) => batch * layers.Where(l => which(l.Layer)).Sum(l => l.Flops);
        var encoder = Sum(l => l.StartsWith("conv "));
        var projection = Sum(l => l == "feature projection");
        var transformer = Sum(l => l == "positional conv" || l.StartsWith("layer "));
        var ctcHead = pretraining ? 0 : Sum(l => l == "lm_head");
        long frames = FrameLengths.Compute(samples, config), channels = config.ConvDim[^1];
        double heads = pretraining
            ? 2.0 * batch * frames * (config.HiddenSize * config.ProjCodevectorDim
                + channels * config.NumCodevectorGroups * config.NumCodevectorsPerGroup
                + config.CodevectorDim * config.ProjCodevectorDim)
            : 0;
        var firstConv = batch * layers[0].Flops;
        var network = encoder + projection + transformer + ctcHead;
        return
        [
            new(StepTiming.FeatureEncoder, encoder, 0),
            new(StepTiming.Projection, projection, 0),
            new(StepTiming.Transformer, transformer, 0),
            new(StepTiming.HeadsAndLoss, ctcHead, heads),
            new(StepTiming.Backward, 2 * network - firstConv, 2 * heads),
            new(StepTiming.Release, 0, 0),
            new(StepTiming.Clipping, 0, 0),
            new(StepTiming.OptimiserStep, 0, 0),
        ];
    }
}
