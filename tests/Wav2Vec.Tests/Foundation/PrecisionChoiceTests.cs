using TorchSharp;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Foundation;

public class PrecisionChoiceTests
{
    [Theory]
    [InlineData("auto", Precision.Auto)]
    [InlineData("FP32", Precision.Float32)]
    [InlineData(" bf16 ", Precision.BFloat16)]
    [InlineData("bfloat16", Precision.BFloat16)]
    public void ParsesTheDescriptionAndCommandLineNames(string text, Precision expected) => Assert.Equal(expected, Precisions.Parse(text));

    [Fact]
    public void AnUnknownNameIsAnErrorNamingItAndTheChoices() =>
        Assert.Equal("Unknown precision 'fp16': use auto, fp32 or bf16.", Assert.Throws<ArgumentException>(() => Precisions.Parse("fp16")).Message);

    [Theory]
    [InlineData(Precision.Auto, DeviceType.CPU, true, ScalarType.BFloat16)]
    [InlineData(Precision.Auto, DeviceType.CPU, false, null)]
    [InlineData(Precision.Auto, DeviceType.CUDA, false, ScalarType.BFloat16)]
    [InlineData(Precision.Float32, DeviceType.CPU, true, null)]
    [InlineData(Precision.BFloat16, DeviceType.CPU, false, ScalarType.BFloat16)]
    public void AutoIsBf16OnlyWhereTheHardwareComputesItFast(Precision precision, DeviceType device, bool cpuHasBf16, ScalarType? expected) =>
        Assert.Equal(expected, Precisions.ComputeType(precision, device, cpuHasBf16));
}
