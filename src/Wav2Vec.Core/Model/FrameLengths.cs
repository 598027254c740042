using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>How many frames the feature encoder makes of a waveform: per conv block L ↦ ⌊(L − k)/s⌋ + 1 (no padding).</summary>
public static class FrameLengths
{
    /// <summary>Frames for <paramref name="samples"/> samples; 0 when the input is shorter than the receptive field.</summary>
    public static long Compute(long samples, ImmutableArray<int> kernels, ImmutableArray<int> strides) =>
        kernels.Length == 0 ? samples : PerLayer(samples, kernels, strides)[^1];

    /// <summary>
    /// The output length of each conv block in turn for <paramref name="samples"/> samples (the last is
    /// <see cref="Compute(long, ImmutableArray{int}, ImmutableArray{int})"/>); 0 from the first block whose input is
    /// shorter than its kernel on.
    /// </summary>
    public static long[] PerLayer(long samples, ImmutableArray<int> kernels, ImmutableArray<int> strides)
    {
        var lengths = new long[kernels.Length];
        var length = samples;
        for (var i = 0; i < kernels.Length; i++)
        {
            length = length < kernels[i] ? 0 : (length - kernels[i]) / strides[i] + 1;
            lengths[i] = length;
        }
        return lengths;
    }

    /// <summary>Frames for <paramref name="samples"/> samples under <paramref name="config"/>'s conv layers.</summary>
    public static long Compute(long samples, Wav2Vec2Config config) => Compute(samples, config.ConvKernel, config.ConvStride);

    /// <summary>Samples between two frames: the product of the strides (320 = 20 ms for BASE).</summary>
    public static long Stride(ImmutableArray<int> strides) => strides.Aggregate(1L, (a, s) => a * s);

    /// <summary>Smallest input that yields one frame (the receptive field: 400 samples = 25 ms for BASE).</summary>
    public static long ReceptiveField(ImmutableArray<int> kernels, ImmutableArray<int> strides)
    {
        long field = 1;
        for (var i = kernels.Length - 1; i >= 0; i--) field = (field - 1) * strides[i] + kernels[i];
        return field;
    }

    /// <summary>
    /// Frame mask [B, T] (true = real frame) for a sample-level <paramref name="attentionMask"/> [B, L]
    /// (nonzero = real sample, padding at the end), as Hugging Face derives it.
    /// </summary>
    public static Tensor FrameMask(Tensor attentionMask, long frames, Wav2Vec2Config config)
    {
        using var scope = NewDisposeScope();
        var samples = attentionMask.ne(0).sum(1).cpu().data<long>().ToArray();
        var lengths = samples.Select(s => Compute(s, config)).ToArray();
        var mask = arange(frames, device: attentionMask.device).unsqueeze(0)
            .lt(tensor(lengths, device: attentionMask.device).unsqueeze(1));
        return mask.MoveToOuterDisposeScope();
    }
}
