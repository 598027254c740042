using TorchSharp;
using TorchSharp.Modules;

namespace Wav2Vec.Torch;

/// <summary>Constructors for TorchSharp layers whose defaults are wrong in 0.107.0.</summary>
public static class Layers
{
    /// <summary>
    /// <c>nn.GroupNorm</c> with weight 1 and bias 0: TorchSharp 0.107.0 leaves them uninitialised (garbage or NaN).
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels, double eps = 1e-5, bool affine = true)
    {
        var norm = torch.nn.GroupNorm(groups, channels, eps, affine);
        if (affine)
        {
            using var _ = torch.no_grad();
            norm.weight!.fill_(1.0);
            norm.bias!.fill_(0.0);
        }
        return norm;
    }
}
