using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// What a network computes for one batch, every stage at once, detached and on the CPU. The record owns its tensors:
/// dispose it when done.
/// </summary>
/// <param name="ConvFeatures">[B, T, C] feature-encoder output z (before the feature LayerNorm).</param>
/// <param name="HiddenStates">
/// num_hidden_layers + 1 tensors [B, T, D] as <see cref="Model.EncoderOutput.HiddenStates"/>; the last is the context c_t.
/// </param>
/// <param name="Quantized">[B, T, codevector_dim] the chosen code vectors q_t (before project_q), or null without a quantizer.</param>
/// <param name="CodeIndices">[B, T, G] int64 the chosen entry per codebook group, or null without a quantizer.</param>
/// <param name="Attentions">One tensor [B, heads, T, T] (float32) per Transformer layer: query frame × key frame.</param>
/// <param name="FrameLengths">Real (unpadded) frames per batch row.</param>
public sealed record Representations(
    Tensor ConvFeatures, IReadOnlyList<Tensor> HiddenStates, Tensor? Quantized, Tensor? CodeIndices,
    IReadOnlyList<Tensor> Attentions, long[] FrameLengths) : IDisposable
{
    /// <summary>[B, T, D] the context representations c_t (Transformer output).</summary>
    public Tensor Context => HiddenStates[^1];

    /// <summary>[frames, ...] the real frames of batch row <paramref name="row"/> of a [B, T, ...] tensor.</summary>
    public Tensor RealFrames(Tensor perFrame, int row) => perFrame[row].narrow(0, 0, FrameLengths[row]);

    /// <summary>Every distinct tensor of the record.</summary>
    public IEnumerable<Tensor> Tensors() =>
        new[] { ConvFeatures, Quantized, CodeIndices }.Concat(HiddenStates).Concat(Attentions)
            .OfType<Tensor>().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();

    /// <summary>Frees the native memory of every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
