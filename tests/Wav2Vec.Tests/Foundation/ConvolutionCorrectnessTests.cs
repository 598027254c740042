using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Foundation;

/// <summary>
/// The model's convolutions give the textbook result for any channel count. libtorch 2.10's blocked-layout conv1d
/// kernels do not on AVX-512 AMD processors (24 → 24 channels, kernel 3, stride 2: errors of order 1, silently), so
/// the feature encoder and the positional conv go through channels-last layouts that are exact; these tests pin that
/// on whatever CPU runs them, forward and backward, against a float64 sum over the windows; the feature-encoder blocks
/// with a norm, which run it on a copy or view of their own layout, are checked through the norm and the activation.
/// </summary>
[Collection(Reliability.AloneCollection.Name)]
public class ConvolutionCorrectnessTests
{
    [Theory]
    [InlineData(1, 24, 10, 5)]
    [InlineData(16, 24, 3, 2)]
    [InlineData(24, 24, 3, 2)]
    [InlineData(20, 20, 3, 2)]
    [InlineData(28, 36, 2, 2)]
    [InlineData(44, 44, 4, 3)]
    [InlineData(48, 48, 3, 2)]
    [InlineData(80, 80, 3, 2)]
    [InlineData(72, 100, 3, 2)]
    [InlineData(128, 128, 3, 2)]
    [InlineData(200, 136, 2, 2)]
    public void FeatureEncoderBlockConvolvesLikeTheWindowedSum(int inChannels, int outChannels, int kernel, int stride)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var block = new ConvBlock(inChannels, outChannels, kernel, stride, bias: true, ConvBlockNorm.None, 1e-5, "relu");
        var x = randn([2, inChannels, 1201], generator: generator).requires_grad_();
        var upstream = randn([2, outChannels, (1201 - kernel) / stride + 1], generator: generator);
        var y = block.Forward(x);
        (y * upstream).sum().backward();

        var x64 = x.detach().to(ScalarType.Float64).requires_grad_();
        var w64 = block.Conv.weight!.detach().to(ScalarType.Float64).requires_grad_();
        var reference = (einsum("bctk,ock->bot", x64.unfold(2, kernel, stride), w64)
                         + block.Conv.bias!.detach().to(ScalarType.Float64).view(1, -1, 1)).relu();
        (reference * upstream.to(ScalarType.Float64)).sum().backward();

        AssertClose(reference, y, "output");
        AssertClose(x64.grad!, x.grad!, "input gradient");
        AssertClose(w64.grad!, block.Conv.weight.grad!, "weight gradient");
    }

    [Theory]
    [InlineData(ConvBlockNorm.Group, 1, 24, 10, 5)]
    [InlineData(ConvBlockNorm.Group, 1, 128, 10, 5)]
    [InlineData(ConvBlockNorm.Layer, 1, 24, 10, 5)]
    [InlineData(ConvBlockNorm.Layer, 24, 24, 3, 2)]
    [InlineData(ConvBlockNorm.Layer, 128, 128, 2, 2)]
    public void FeatureEncoderBlockNormalisesLikeTheFloat64Reference(ConvBlockNorm norm, int inChannels, int outChannels, int kernel, int stride)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var generator = new Generator(13);
        var block = new ConvBlock(inChannels, outChannels, kernel, stride, bias: false, norm, 1e-5, "gelu");
        var affine = block.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var name in new[] { "layer_norm.weight", "layer_norm.bias" }) affine[name].copy_(randn(affine[name].shape, generator: generator));
        var x = randn([2, inChannels, 1201], generator: generator).requires_grad_();
        var frames = (1201 - kernel) / stride + 1;
        var upstream = randn([2, outChannels, frames], generator: generator);
        var y = block.Forward(x);
        (y * upstream).sum().backward();

        var x64 = x.detach().to(ScalarType.Float64).requires_grad_();
        var w64 = block.Conv.weight!.detach().to(ScalarType.Float64).requires_grad_();
        var (gain, shift) = (affine["layer_norm.weight"].detach().to(ScalarType.Float64).requires_grad_(),
            affine["layer_norm.bias"].detach().to(ScalarType.Float64).requires_grad_());
        var conv = einsum("bctk,ock->bot", x64.unfold(2, kernel, stride), w64);                   // [B, C, T]
        var axis = norm == ConvBlockNorm.Group ? 2L : 1L;                                          // each channel over time, or each frame over channels
        var normed = (conv - conv.mean([axis], keepdim: true)) / (conv.var([axis], unbiased: false, keepdim: true) + 1e-5).sqrt();
        var reference = nn.functional.gelu(normed * gain.view(1, -1, 1) + shift.view(1, -1, 1));
        (reference * upstream.to(ScalarType.Float64)).sum().backward();

        AssertClose(reference, y, "output");
        AssertClose(x64.grad!, x.grad!, "input gradient");
        AssertClose(w64.grad!, block.Conv.weight.grad!, "weight gradient");
        AssertClose(gain.grad!, affine["layer_norm.weight"].grad!, "norm weight gradient");
        AssertClose(shift.grad!, affine["layer_norm.bias"].grad!, "norm bias gradient");
    }

    [Theory]
    [InlineData(40, 8, 2)]
    [InlineData(48, 15, 3)]
    [InlineData(60, 16, 3)]
    [InlineData(192, 64, 16)]
    [InlineData(24, 8, 4)]
    [InlineData(80, 16, 4)]
    public void PositionalConvolutionConvolvesLikeTheWindowedSum(int channels, int kernel, int groups)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var conv = new WeightNormConv1d(channels, kernel, kernel / 2, groups);
        conv.Initialize(0.1);
        var x = randn([2, channels, 150], generator: generator).requires_grad_();
        var upstream = randn([2, channels, 150 + 2 * (kernel / 2) - kernel + 1], generator: generator);
        var y = conv.Forward(x);
        (y * upstream).sum().backward();
        var channelsLast = conv.Forward(x.detach().transpose(1, 2).contiguous().transpose(1, 2));

        var weight = conv.Weight(ScalarType.Float64).detach();
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_();
        var padded = nn.functional.pad(x64, [kernel / 2, kernel / 2]);
        var perGroup = channels / groups;
        var windows = padded.unfold(2, kernel, 1);
        var parts = Enumerable.Range(0, groups).Select(g => einsum("bctk,ock->bot",
            windows[.., (g * perGroup)..((g + 1) * perGroup)], weight[(g * perGroup)..((g + 1) * perGroup)])).ToArray();
        var reference = cat(parts, 1) + conv.get_parameter("bias")!.detach().to(ScalarType.Float64).view(1, -1, 1);
        AssertClose(reference, y, "output");
        AssertClose(reference, channelsLast, "output from a channels-last input");
        (reference * upstream.to(ScalarType.Float64)).sum().backward();
        AssertClose(x64.grad!, x.grad!, "input gradient");
    }

    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = expected.abs().max().item<double>();
        var error = (actual.detach().to(ScalarType.Float64) - expected.detach()).abs().max().item<double>();
        Assert.True(error <= 1e-5 * scale, $"{what} differs from the windowed float64 sum by {error} (scale {scale})");
    }
}
