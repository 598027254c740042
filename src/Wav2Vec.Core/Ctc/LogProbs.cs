using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Ctc;

/// <summary>
/// The boundary between the model and the pure C# decoders: a <c>[T, V]</c> tensor becomes a
/// <c>float[T][V]</c> array of log-probabilities once, and decoders never touch tensors.
/// </summary>
public static class LogProbs
{
    /// <summary>Log-softmax of <paramref name="logits"/> <c>[T, V]</c> (any dtype/device) as <c>float[T][V]</c>.</summary>
    public static float[][] FromLogits(Tensor logits)
    {
        if (logits.dim() != 2) throw new ArgumentException($"logits: expected [T, V], got [{string.Join(", ", logits.shape)}].");
        using var scope = NewDisposeScope();
        var lp = logits.detach().to(ScalarType.Float32).cpu().log_softmax(-1).contiguous();
        var flat = lp.data<float>().ToArray();
        int frames = (int)lp.shape[0], vocab = (int)lp.shape[1];
        var rows = new float[frames][];
        for (int t = 0; t < frames; t++) rows[t] = flat.AsSpan(t * vocab, vocab).ToArray();
        return rows;
    }

    /// <summary>Log-softmax of a plain <c>[T][V]</c> array of logits.</summary>
    public static float[][] FromLogits(float[][] logits) => logits.Select(row =>
    {
        float max = row.Max();
        double sum = row.Sum(x => Math.Exp(x - max));
        float logZ = max + (float)Math.Log(sum);
        return row.Select(x => x - logZ).ToArray();
    }).ToArray();
}
