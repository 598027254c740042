using System.Buffers.Binary;
using TorchSharp;

namespace Wav2Vec.Torch;

/// <summary>
/// libtorch's CPU generator state as bytes (<c>torch.get_rng_state()</c>), checked before it goes back to libtorch:
/// <c>torch.set_rng_state</c> answers a state of the wrong size or an invalid Mersenne-Twister position with a C++
/// exception that TorchSharp 0.107 does not catch, which aborts the process. The layout is libtorch's
/// <c>CPUGeneratorImplState</c>: <c>uint64 the_initial_seed; int32 left; int32 seeded; uint64 next; uint64 state[624];</c>
/// then the cached normal samples.
/// </summary>
public static class GeneratorState
{
    const int MersenneStateSize = 624;

    /// <summary>The current state of libtorch's CPU generator.</summary>
    public static byte[] Current()
    {
        using var state = torch.get_rng_state();
        return state.bytes.ToArray();
    }

    /// <summary>
    /// Why <paramref name="bytes"/> is not a state libtorch would accept (size other than the running libtorch's,
    /// position of the twister out of range, generator not seeded), or null when it is one.
    /// </summary>
    public static string? Problem(ReadOnlySpan<byte> bytes)
    {
        var expected = Current().Length;
        if (bytes.Length != expected) return $"{bytes.Length} bytes where libtorch's generator state has {expected}";
        var left = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var next = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        if (left is < 1 or > MersenneStateSize) return $"twister position 'left' is {left}, outside 1…{MersenneStateSize}";
        if (next > MersenneStateSize) return $"twister position 'next' is {next}, above {MersenneStateSize}";
        return seeded == 0 ? "the generator is marked as never seeded" : null;
    }

    /// <summary>Restores the generator from <paramref name="bytes"/>, which <see cref="Problem"/> must have accepted.</summary>
    public static void Restore(byte[] bytes)
    {
        if (Problem(bytes) is { } problem) throw new ArgumentException($"not a libtorch generator state: {problem}.", nameof(bytes));
        using var state = torch.tensor(bytes, dtype: torch.uint8);
        torch.set_rng_state(state);
    }
}
