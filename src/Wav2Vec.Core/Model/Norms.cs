using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Layer and group normalisation in the input's dtype. libtorch's CPU kernels accumulate the mean and variance of
/// bf16 inputs in float32: the output differs from a float32 computation only by its final rounding, so no float32
/// copy of the activations is made (the copy cost 10× the norm itself on the feature encoder's first block). Their
/// backward, though, sums the bf16 weight and bias gradients in low precision (relative error 3–12 % over
/// 200–20,000 rows for LayerNorm), so while those parameters train the affine part runs as a separate product,
/// whose gradient sums in float32 (0.3 %).
/// </summary>
public static class Norms
{
    /// <summary>LayerNorm over the last dimension of <paramref name="x"/> [..., C] with <paramref name="norm"/>'s affine parameters.</summary>
    public static Tensor LayerNorm(LayerNorm norm, Tensor x, double eps)
    {
        long[] shape = [x.shape[^1]];
        var (weight, bias) = (Autocast.Like(norm.weight, x)!, Autocast.Like(norm.bias, x)!);
        if (!SeparateAffine(norm.weight!, x)) return nn.functional.layer_norm(x, shape, weight, bias, eps);
        using var scope = NewDisposeScope();
        return bias.addcmul(nn.functional.layer_norm(x, shape, null, null, eps), weight, 1).MoveToOuterDisposeScope();
    }

    /// <summary>GroupNorm of <paramref name="x"/> [B, C, ...] with <paramref name="norm"/>'s groups and affine parameters.</summary>
    public static Tensor GroupNorm(GroupNorm norm, long groups, Tensor x, double eps)
    {
        var (weight, bias) = (Autocast.Like(norm.weight, x)!, Autocast.Like(norm.bias, x)!);
        if (!SeparateAffine(norm.weight!, x)) return nn.functional.group_norm(x, groups, weight, bias, eps);
        using var scope = NewDisposeScope();
        var normed = nn.functional.group_norm(x, groups, null, null, eps);
        long[] perChannel = [x.shape[1], .. Enumerable.Repeat(1L, (int)x.dim() - 2)];
        return bias.view(perChannel).addcmul(normed, weight.view(perChannel), 1).MoveToOuterDisposeScope();
    }

    static bool SeparateAffine(Tensor weight, Tensor x) => Autocast.IsReduced(x.dtype) && weight.requires_grad && is_grad_enabled();
}
