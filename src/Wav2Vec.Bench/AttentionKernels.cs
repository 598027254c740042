using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>Explicit vs fused attention for one dtype on the inference utterance's frames.</summary>
/// <param name="ExplicitMs">QKᵀ, softmax and PV as separate products.</param>
/// <param name="FusedMs">libtorch's scaled_dot_product_attention.</param>
public sealed record AttentionResult(Sample ExplicitMs, Sample FusedMs)
{
    /// <summary>The faster kernel in this measurement.</summary>
    public AttentionKernel Faster => ExplicitMs.Median <= FusedMs.Median ? AttentionKernel.Explicit : AttentionKernel.Fused;
}

/// <summary>Measures <see cref="AttentionResult"/> per dtype with one attention module of the preset.</summary>
public static class AttentionKernels
{
    /// <summary>Both kernels on [1, frames, hidden] in each dtype, alternating.</summary>
    public static IReadOnlyDictionary<string, AttentionResult> Measure(Wav2Vec2Config config, BenchOptions options)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var frames = FrameLengths.Compute((long)(options.InferenceSeconds * 16000), config);
        var results = new Dictionary<string, AttentionResult>();
        foreach (var name in options.DtypeNames)
        {
            var dtype = Dtypes.Of(name);
            using var attention = new SelfAttention(config);
            attention.eval();
            attention.to(dtype);
            var x = randn(1, frames, config.HiddenSize).to(dtype);
            Action Run(AttentionKernel kernel) => () =>
            {
                using var s = NewDisposeScope();
                attention.Forward(x, null, kernel);
            };
            var timed = Alternation.Measure(options.Warmup, options.Rounds, Run(AttentionKernel.Explicit), Run(AttentionKernel.Fused));
            results[name] = new AttentionResult(timed[0], timed[1]);
        }
        return results;
    }
}
