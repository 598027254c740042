using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class PrecisionTests
{
    [Fact]
    public void Bf16ModelMatchesFloat32LogitsWithinBf16Tolerance()
    {
        var dir = Fixture.Dir();
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2ForCtc.FromPretrained(dir);
        model.to(ScalarType.BFloat16);
        using var _ = no_grad();
        var output = model.Forward(Fixture.Wave(dir).to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, output.Logits.dtype);
        Assert.Equal(ScalarType.BFloat16, output.Base.ExtractFeatures.dtype);
        var expected = Fixture.Expected(dir, "logits.npy");
        // bf16 keeps 8 significant bits (relative step 2^-8 ≈ 0.4%), and weights, inputs and every stage output are
        // rounded; over 7 convs and 2 layers the error grows to a few percent of the logit range, still far from
        // the O(1) errors of a wrong implementation (e.g. weight_v used without its norm).
        var scale = expected.abs().max().item<float>();
        var diff = Fixture.AssertClose(expected, output.Logits, 0.05 * scale, "bf16 logits");
        Assert.True(diff > 1e-4, "bf16 run should not be bit-exact float32");
        var rms = (expected - output.Logits.to(ScalarType.Float32)).pow(2).mean().sqrt().item<float>();
        Assert.True(rms < 0.01 * scale, $"bf16 logits RMS error {rms} exceeds 1% of the logit range {scale}");
        var agree = expected.argmax(-1).eq(output.Logits.to(ScalarType.Float32).argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        Assert.True(agree >= 0.9, $"only {agree:P0} of frames keep their argmax in bf16 (max diff {diff}, RMS {rms})");
    }
}
