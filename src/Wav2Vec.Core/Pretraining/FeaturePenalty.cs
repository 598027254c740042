using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The L2 penalty on the feature encoder's output (paper §4.2 / fairseq's <c>features_pen</c>): it keeps the
/// convolutional features from growing to cheat the layer norm and stabilises training.
/// </summary>
public static class FeaturePenalty
{
    /// <summary>Mean of the squared features, fp32 scalar, for features of any shape (e.g. [batch, frames, C]).</summary>
    public static Tensor Compute(Tensor features) => features.to_type(ScalarType.Float32).square().mean();
}
