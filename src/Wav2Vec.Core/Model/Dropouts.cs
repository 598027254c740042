using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Dropout with its mask drawn on the CPU in parallel: libtorch's CPU Bernoulli sampling is serial, ≈ 10 ns per
/// element in any dtype, and took ≈ 1 s of a 5 s bf16 BASE training step (11 M masked elements per layer); this draws
/// the same kind of mask on every core (a 4.9 M-element dropout: 35–38 ms against libtorch's 92–140 ms, one thread
/// each on a busy machine). Same semantics as <c>nn.functional.dropout</c>: in training each element is zeroed
/// with probability p and the others scaled by 1 / (1 − p); out of training, or for p = 0, the input itself.
/// </summary>
/// <remarks>
/// The probability is applied at a resolution of 2⁻¹⁶ (p = 0.1 drops with probability 6554 / 65536 = 0.100006), and the
/// scale is 1 / (1 − that), so the expectation is exact. Each call takes one 63-bit seed from libtorch's generator, so
/// <c>torch.manual_seed</c> fixes the masks as it fixes everything else; the mask is split into chunks of 2¹⁶
/// elements, each drawn by xoshiro256** seeded from the call's seed and the chunk's number, so the mask does not depend
/// on how many threads draw it. Tensors off the CPU, and p ≥ 1, go to libtorch's own dropout.
/// </remarks>
public static class Dropouts
{
    const int Chunk = 1 << 16;

    /// <summary>Dropout of <paramref name="x"/> with probability <paramref name="p"/> when <paramref name="training"/>.</summary>
    public static Tensor Apply(Tensor x, double p, bool training)
    {
        var threshold = (int)Math.Round(p * 65536);
        if (!training || threshold <= 0 || threshold >= 65536 || x.device_type != DeviceType.CPU || x.numel() == 0)
            return nn.functional.dropout(x, p, training);
        using var scope = NewDisposeScope();
        var seed = (ulong)randint(long.MaxValue, [1], dtype: ScalarType.Int64).item<long>();
        var count = (int)x.numel();
        // One reused buffer per thread: a fresh array per call would be 100 MB of garbage per BASE step, and every
        // collection risks TorchSharp's temporary scalars (reliability.md); the scalars here are kept alive explicitly.
        if (buffer is null || buffer.Length < count) buffer = new byte[Math.Max(count, 2 * (buffer?.Length ?? 0))];
        Fill(buffer, count, threshold, seed);
        var mask = empty(x.shape, dtype: ScalarType.Bool);
        mask.bytes = buffer.AsSpan(0, count);
        using var zero = 0.0.ToScalar();
        using var scale = (65536.0 / (65536 - threshold)).ToScalar();
        return x.masked_fill(mask, zero).mul_(scale).MoveToOuterDisposeScope();
    }

    [ThreadStatic] static byte[]? buffer;

    /// <summary>
    /// <paramref name="count"/> drop flags, each true with probability <paramref name="threshold"/> / 65536, a pure
    /// function of <paramref name="seed"/>: four 16-bit draws from each 64-bit output of xoshiro256**.
    /// </summary>
    public static bool[] Mask(long count, int threshold, ulong seed)
    {
        var flags = new byte[count];
        Fill(flags, (int)count, threshold, seed);
        return [.. flags.Select(f => f != 0)];
    }

    static void Fill(byte[] drop, long count, int threshold, ulong seed)
    {
        var chunks = (int)((count + Chunk - 1) / Chunk);
        Parallel.For(0, chunks, c =>
        {
            var state = new Xoshiro(seed ^ ((ulong)c * 0xD1B54A32D192ED03UL));
            long start = (long)c * Chunk, end = Math.Min(count, start + Chunk);
            for (var i = start; i < end; i += 4)
            {
                var r = state.Next();
                for (var k = 0; k < 4 && i + k < end; k++) drop[i + k] = (byte)((int)((r >> (16 * k)) & 0xFFFF) < threshold ? 1 : 0);
            }
        });
    }

    /// <summary>xoshiro256** (Blackman and Vigna), its state filled by SplitMix64 from one seed.</summary>
    struct Xoshiro
    {
        ulong s0, s1, s2, s3;

        public Xoshiro(ulong seed)
        {
            s0 = SplitMix(ref seed);
            s1 = SplitMix(ref seed);
            s2 = SplitMix(ref seed);
            s3 = SplitMix(ref seed);
        }

        public ulong Next()
        {
            var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
            var t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = BitOperations.RotateLeft(s3, 45);
            return result;
        }

        static ulong SplitMix(ref ulong state)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
