using TorchSharp;
using Wav2Vec.IO;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>Paths and comparisons for the reference fixtures under Fixtures/.</summary>
static class Fixture
{
    public static string Dir(string name = "hf-tiny-group")
    {
        TorchRuntime.Initialize();
        return Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    }

    public static Tensor Expected(string dir, string file) => Npy.Read(Path.Combine(dir, "expected", file));

    /// <summary>A [1, L] waveform from a 16-bit WAV.</summary>
    public static Tensor Wave(string dir, string file = "input.wav") => tensor(Pcm16Wave.Read(Path.Combine(dir, file))).unsqueeze(0);

    /// <summary>Asserts equal shapes and max |a − b| ≤ tolerance, reporting the difference.</summary>
    public static double AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        var diff = (expected.to(ScalarType.Float32) - actual.detach().to(ScalarType.Float32)).abs().max().item<float>();
        Assert.True(diff <= tolerance, $"{what}: max abs diff {diff} > {tolerance}");
        return diff;
    }
}
