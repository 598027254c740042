using TorchSharp;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Foundation;

/// <summary>libtorch's convolutions give the textbook result on this CPU (oneDNN's AVX-512 kernels do not on AMD Zen 4).</summary>
[Collection(Reliability.AloneCollection.Name)]
public class ConvolutionCorrectnessTests
{
    [Theory]
    [InlineData(16, 24, 1000)]
    [InlineData(24, 24, 1000)]
    [InlineData(24, 24, 2000)]
    [InlineData(128, 128, 3000)]
    [InlineData(512, 512, 1000)]
    public void StridedConv1dEqualsTheSumOverItsWindows(int inChannels, int outChannels, int length)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var x = randn([1, inChannels, length], generator: generator);
        var w = randn([outChannels, inChannels, 3], generator: generator);
        var conv = nn.functional.conv1d(x, w, stride: 2);
        var windows = einsum("bctk,ock->bot", x.unfold(2, 3, 2), w);
        var error = (conv - windows).abs().max().item<float>();
        Assert.True(error < 1e-3 * Math.Sqrt(inChannels), $"conv1d differs from the windowed sum by {error}");
    }

    [Theory]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 avx512f avx512dq\n", true)]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2\n", false)]
    [InlineData("vendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx2 avx512f\n", false)]
    public void OnlyAmdProcessorsWithAvx512GetTheOneDnnCap(string cpuinfo, bool capped) =>
        Assert.Equal(capped, TorchRuntime.NeedsOneDnnIsaCap(cpuinfo));
}
