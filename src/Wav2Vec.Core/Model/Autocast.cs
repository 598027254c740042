using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Layers whose parameters are cast to the dtype of the activations that reach them, so a module computes in
/// whatever dtype its input has. With float32 parameters and bf16 inputs this is mixed precision, as
/// <c>torch.autocast</c> does it (TorchSharp has no autocast): bf16 products, and the casts' backward returns the
/// gradients to the float32 master weights in float32. With parameters already in the input's dtype a cast is a no-op.
/// </summary>
public static class Autocast
{
    /// <summary><paramref name="layer"/> applied to <paramref name="x"/> [..., in] → [..., out] in x's dtype.</summary>
    public static Tensor Linear(Linear layer, Tensor x) =>
        nn.functional.linear(x, layer.weight!.to(x.dtype), layer.bias?.to(x.dtype));

    /// <summary><paramref name="parameter"/> in the dtype of <paramref name="x"/> (null stays null).</summary>
    public static Tensor? Like(Tensor? parameter, Tensor x) => parameter?.to(x.dtype);

    /// <summary>True for the 16-bit float dtypes whose statistics need float32 accumulation.</summary>
    public static bool IsReduced(ScalarType dtype) => dtype is ScalarType.BFloat16 or ScalarType.Float16;
}
