using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Normalisations computed in float32 whatever the model dtype (bf16 statistics over hundreds of channels or
/// thousands of frames lose too much), the result cast back to the input's dtype.
/// </summary>
public static class Norms
{
    /// <summary>LayerNorm over the last dimension of <paramref name="x"/> [..., C] with <paramref name="norm"/>'s affine parameters.</summary>
    public static Tensor LayerNorm(LayerNorm norm, Tensor x, double eps)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.layer_norm(x.to(ScalarType.Float32), [x.shape[^1]],
            norm.weight!.to(ScalarType.Float32), norm.bias!.to(ScalarType.Float32), eps);
        return y.to(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>GroupNorm of <paramref name="x"/> [B, C, L] with <paramref name="norm"/>'s groups and affine parameters.</summary>
    public static Tensor GroupNorm(GroupNorm norm, long groups, Tensor x, double eps)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.group_norm(x.to(ScalarType.Float32), groups,
            norm.weight!.to(ScalarType.Float32), norm.bias!.to(ScalarType.Float32), eps);
        return y.to(x.dtype).MoveToOuterDisposeScope();
    }
}
