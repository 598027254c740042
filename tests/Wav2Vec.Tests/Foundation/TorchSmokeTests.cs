using Wav2Vec.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Foundation;

[Collection(GlobalGeneratorCollection.Name)]
public class TorchSmokeTests
{
    [Fact]
    public void ConvTransformerCtcModelLearnsWithAdamW()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(0);
        var conv = nn.Conv1d(1, 16, kernel_size: 10, stride: 5);
        var encoderLayer = nn.TransformerEncoderLayer(d_model: 16, nhead: 2, dim_feedforward: 32, dropout: 0.0);
        var head = nn.Linear(16, 5);
        var parameters = conv.parameters().Concat(encoderLayer.parameters()).Concat(head.parameters()).ToList();
        var optimizer = optim.AdamW(parameters, lr: 3e-3);
        var ctc = nn.CTCLoss(blank: 0, zero_infinity: true);

        using var audio = randn(2, 1, 400, generator: new Generator(1));
        using var targets = tensor(new long[] { 1, 2, 3, 1, 4, 2, 3, 1 }).reshape(2, 4);
        using var inputLengths = tensor(new long[] { 79, 79 });
        using var targetLengths = tensor(new long[] { 4, 4 });

        var losses = new List<float>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var features = nn.functional.gelu(conv.forward(audio)).permute(2, 0, 1); // [T, B, C]
            var logits = head.forward(encoderLayer.forward(features));
            var loss = ctc.forward(logits.log_softmax(-1), targets, inputLengths, targetLengths);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < 0.5f * losses[0], $"loss went {losses[0]} → {losses[^1]}");
    }

    [Fact]
    public void GroupNormStartsAsIdentityAffine()
    {
        TorchRuntime.Initialize();
        var norm = Layers.GroupNorm(4, 8);
        Assert.True(norm.weight!.eq(1).all().item<bool>());
        Assert.True(norm.bias!.eq(0).all().item<bool>());
        using var x = randn(2, 8, 50);
        using var y = norm.forward(x);
        Assert.False(y.isnan().any().item<bool>());
        // Each (sample, group) is normalised to zero mean and unit variance.
        using var grouped = y.reshape(2, 4, -1);
        Assert.True(grouped.mean([-1]).abs().max().item<float>() < 1e-5);
        Assert.True((grouped.var([-1], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
    }

    [Theory]
    [InlineData("auto", false, "cpu")]
    [InlineData("cpu", true, "cpu")]
    [InlineData("auto", true, "cuda")]
    [InlineData("CUDA", true, "cuda")]
    public void DeviceChoiceResolves(string text, bool cudaAvailable, string expected)
    {
        Assert.Equal(expected, Devices.ResolveType(Devices.Parse(text), cudaAvailable).ToString().ToLowerInvariant());
    }

    [Fact]
    public void CudaWithoutCudaIsAnErrorThatSaysWhatToDo()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Devices.ResolveType(DeviceChoice.Cuda, cudaAvailable: false));
        Assert.Contains("TorchBackend=cuda", error.Message);
        Assert.Equal(DeviceType.CPU, Devices.Resolve(DeviceChoice.Auto).type); // this machine has no GPU
    }

    [Fact]
    public void UnknownDeviceNameIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => Devices.Parse("tpu"));
        Assert.Contains("'tpu'", error.Message);
    }

    [Fact]
    public void SeedingMakesRandomTensorsRepeatable()
    {
        TorchRuntime.Seed(42);
        using var a = randn(5);
        TorchRuntime.Seed(42);
        using var b = randn(5);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void TestsRunOnOneTorchThread()
    {
        Assert.Equal(1, TorchRuntime.Initialize());
        Assert.Equal(1, torch.get_num_threads());
    }
}
