using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>libtorch's matrix-multiply rate per dtype, the ceiling the model's achieved GFLOP/s is compared with.</summary>
public static class Roofline
{
    /// <summary>
    /// GFLOP/s of a BASE feed-forward-shaped product [1000 × 768] · [768 × 3072] in each dtype, measured alternately.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Measure(IReadOnlyList<string> dtypes, int warmup, int rounds)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pairs = dtypes.Select(d => (Name: d, A: randn(1000, 768).to(Dtypes.Of(d)), B: randn(768, 3072).to(Dtypes.Of(d)))).ToList();
        var samples = Alternation.Measure(warmup, rounds, [.. pairs.Select(p => (Action)(() =>
        {
            using var s = NewDisposeScope();
            p.A.matmul(p.B);
        }))]);
        const double flops = 2.0 * 1000 * 768 * 3072;
        return pairs.Select((p, i) => (p.Name, Rate: flops / (samples[i].Median / 1000) / 1e9)).ToDictionary(x => x.Name, x => x.Rate);
    }
}

/// <summary>The bench's dtype names.</summary>
public static class Dtypes
{
    /// <summary>fp32 → Float32, bf16 → BFloat16; anything else is an error naming the choices.</summary>
    public static ScalarType Of(string name) => name switch
    {
        "fp32" => ScalarType.Float32,
        "bf16" => ScalarType.BFloat16,
        _ => throw new ArgumentException($"unknown dtype '{name}': use fp32 or bf16"),
    };
}
