using TorchSharp;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class ConvBlockWidthTests
{
    /// <summary>Widths above 16 that are not a multiple of 32 hit oneDNN bugs on AVX-512 CPUs (forward or input gradient).</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(40)]
    [InlineData(48)]
    [InlineData(100)]
    [InlineData(128)]
    public void ConvBlockForwardAndBackwardMatchFloat64WhateverTheInputWidth(int width)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var block = new ConvBlock(width, 24, 3, 2, bias: true, ConvBlockNorm.None, 1e-5, "gelu");
        var generator = new Generator(7);
        var x = randn(2, width, 75, generator: generator);
        var upstream = randn(2, 24, 37, generator: generator);

        (Tensor Y, Tensor InputGrad, Tensor WeightGrad) Run(ScalarType dtype)
        {
            block.to(dtype);
            block.zero_grad();
            var input = x.to(dtype).detach().clone().requires_grad_(true);
            var y = block.Forward(input);
            (y * upstream.to(dtype)).sum().backward();
            return (y.detach().to(ScalarType.Float64), input.grad!.to(ScalarType.Float64), block.Conv.weight!.grad!.to(ScalarType.Float64));
        }

        var single = Run(ScalarType.Float32);
        var reference = Run(ScalarType.Float64);
        static double Relative(Tensor a, Tensor b) => (a - b).abs().nan_to_num(1e30).max().item<double>() / b.abs().max().item<double>();
        Assert.True(Relative(single.Y, reference.Y) < 1e-5, $"forward: {Relative(single.Y, reference.Y)}");
        Assert.True(Relative(single.InputGrad, reference.InputGrad) < 1e-5, $"input gradient: {Relative(single.InputGrad, reference.InputGrad)}");
        Assert.True(Relative(single.WeightGrad, reference.WeightGrad) < 1e-5, $"weight gradient: {Relative(single.WeightGrad, reference.WeightGrad)}");
    }
}
