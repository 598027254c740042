using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// Runs a network once in eval mode (no dropout, argmax codes) and keeps every representation the analysis
/// notebook plots: conv features, per-layer hidden states, quantized vectors and code indices, attention maps.
/// </summary>
public static class RepresentationExtractor
{
    /// <summary>
    /// Waveform [B, L] (+ optional <paramref name="attentionMask"/> [B, L], nonzero = real sample) →
    /// <see cref="Representations"/>. <paramref name="quantizer"/> (a pre-training model's) quantizes the
    /// LayerNormed conv features as pre-training does; without it the quantized fields are null. The modules are
    /// switched to eval mode for the pass and back afterwards.
    /// </summary>
    public static Representations Extract(Wav2Vec2Model network, GumbelVectorQuantizer? quantizer, Tensor waveform, Tensor? attentionMask = null)
    {
        var modules = new nn.Module?[] { network, quantizer }.OfType<nn.Module>().ToList();
        var training = modules.Select(m => m.training).ToList();
        foreach (var m in modules) m.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var output = network.Forward(waveform, attentionMask, outputAttentions: true);
            var codes = quantizer?.Forward(output.ExtractFeatures, frameMask: output.FrameMask);
            Tensor Keep(Tensor t) => t.detach().cpu().DetachFromDisposeScope();
            return new Representations(
                Keep(output.ConvFeatures),
                [.. output.HiddenStates.Select(Keep)],
                codes is null ? null : Keep(codes.Quantized),
                codes is null ? null : Keep(codes.CodevectorIndices),
                [.. output.Encoder.Attentions!.Select(Keep)],
                output.FrameLengths);
        }
        finally
        {
            for (var i = 0; i < modules.Count; i++) modules[i].train(training[i]);
        }
    }

    /// <summary>One 16 kHz waveform (a batch of one, no padding) → <see cref="Representations"/> with B = 1.</summary>
    public static Representations Extract(Wav2Vec2Model network, GumbelVectorQuantizer? quantizer, float[] waveform)
    {
        using var scope = NewDisposeScope();
        var device = network.parameters().First().device;
        return Extract(network, quantizer, tensor(waveform, device: device).unsqueeze(0));
    }
}
