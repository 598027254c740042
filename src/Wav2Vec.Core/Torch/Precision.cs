using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Torch;

/// <summary>Training/inference precision as written in descriptions (<c>"precision"</c>) and on the command line (<c>--precision</c>).</summary>
public enum Precision
{
    /// <summary>bf16 where the hardware computes it fast (CUDA, or a CPU with AVX512_BF16 or AMX), else float32.</summary>
    Auto,
    /// <summary>float32 everywhere.</summary>
    Float32,
    /// <summary>
    /// Mixed precision: float32 master weights and optimiser state, bf16 compute; losses, softmax and norm statistics
    /// in float32 (<see cref="Model.Wav2Vec2Model.ComputeType"/>).
    /// </summary>
    BFloat16,
}

/// <summary>Parses and resolves <see cref="Precision"/>.</summary>
public static class Precisions
{
    /// <summary><c>auto|fp32|bf16</c> (also <c>float32</c>, <c>bfloat16</c>; case-insensitive); anything else is an error naming the value.</summary>
    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Precision.Auto,
        "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        _ => throw new ArgumentException($"Unknown precision '{text}': use auto, fp32 or bf16."),
    };

    /// <summary>
    /// The compute dtype for <see cref="Model.Wav2Vec2Model.ComputeType"/> (null = float32): auto picks bf16 on CUDA and
    /// on CPUs with bf16 instructions, where it runs several times faster than float32; elsewhere bf16 is emulated and slow.
    /// </summary>
    public static ScalarType? ComputeType(Precision precision, DeviceType device, bool cpuHasBf16) => precision switch
    {
        Precision.Float32 => null,
        Precision.BFloat16 => ScalarType.BFloat16,
        _ => device == DeviceType.CUDA || cpuHasBf16 ? ScalarType.BFloat16 : null,
    };

    /// <summary>The compute dtype for <paramref name="precision"/> on <paramref name="device"/> of this machine.</summary>
    public static ScalarType? ComputeType(Precision precision, Device device) => ComputeType(precision, device.type, CpuHasBf16());

    /// <summary>Whether this CPU reports AVX512_BF16 or AMX-BF16 (/proc/cpuinfo; false where it cannot be read).</summary>
    public static bool CpuHasBf16()
    {
        if (!File.Exists("/proc/cpuinfo")) return false;
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1].Split(' ') ?? [];
        return flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");
    }
}
