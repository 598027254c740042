using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// fairseq's GradMultiply (feature_grad_mult): identity forward, gradient scaled by a factor backward. Written as
/// sg(x) + (x − sg(x))·f, whose forward value is bit-identical to x because x − sg(x) is exactly zero.
/// </summary>
public static class GradientScale
{
    /// <summary><paramref name="x"/> with its gradient multiplied by <paramref name="factor"/> (0 stops it, 1 is a no-op).</summary>
    public static Tensor Apply(Tensor x, double factor)
    {
        if (factor == 1.0 || !x.requires_grad) return x;
        if (factor == 0.0) return x.detach();
        using var scope = NewDisposeScope();
        var frozen = x.detach();
        return (frozen + (x - frozen) * factor).MoveToOuterDisposeScope();
    }
}
