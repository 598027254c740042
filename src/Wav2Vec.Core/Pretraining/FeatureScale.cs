using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The scale of the feature encoder's output. The L2 feature penalty (paper §4.2) exists because the conv features
/// can grow without bound while the LayerNorm after them hides it; a conv-feature RMS that keeps growing, or one that
/// the penalty has driven towards 0, both leave the quantizer and the Transformer with little to work with.
/// </summary>
public static class FeatureScale
{
    /// <summary>
    /// √(mean of squares) over the real frames of <paramref name="features"/> [B, T, C] (all frames when
    /// <paramref name="frameMask"/> [B, T] is null), in fp64. NaN when no frame is real.
    /// </summary>
    public static double Rms(Tensor features, Tensor? frameMask)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = features.detach().to_type(ScalarType.Float64);
        if (frameMask is null) return x.numel() == 0 ? double.NaN : x.square().mean().sqrt().item<double>();
        var m = frameMask.to(x.device).to_type(ScalarType.Float64).unsqueeze(-1);
        var count = m.sum().item<double>() * x.shape[^1];
        return count == 0 ? double.NaN : Math.Sqrt((x.square() * m).sum().item<double>() / count);
    }
}
