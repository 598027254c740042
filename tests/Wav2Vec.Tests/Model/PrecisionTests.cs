using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

public class PrecisionTests
{
    public static TheoryData<string> Fixtures => ["hf-tiny-group", "hf-tiny-group-stable", "hf-tiny-layer-post", "hf-tiny-layer-stable"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Bf16ModelMatchesFloat32LogitsWithinBf16ToleranceAndKeepsEveryClearDecision(string name)
    {
        var dir = Fixture.Dir(name);
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2ForCtc.FromPretrained(dir);
        model.to(ScalarType.BFloat16);
        using var _ = no_grad();
        // A float32 waveform: the model casts its input to its own dtype.
        var output = model.Forward(Fixture.Wave(dir));
        Assert.Equal(ScalarType.BFloat16, output.Logits.dtype);
        Assert.Equal(ScalarType.BFloat16, output.Base.ExtractFeatures.dtype);
        var expected = Fixture.Expected(dir, "logits.npy");
        var logits = output.Logits.to(ScalarType.Float32);
        // bf16 keeps 8 significant bits (relative step 2^-8 ≈ 0.4 %) and every weight and stage output is rounded;
        // measured on these fixtures: max error 1.0–1.4 % and RMS error 0.30–0.35 % of the logit range. A wrong
        // implementation (e.g. weight_v used without its norm, a norm over the wrong axis) errs by O(1).
        var scale = expected.abs().max().item<float>();
        var diff = Fixture.AssertClose(expected, logits, 0.025 * scale, "bf16 logits");
        Assert.True(diff > 1e-4, "bf16 run should not be bit-exact float32");
        var rms = (expected - logits).pow(2).mean().sqrt().item<float>();
        Assert.True(rms < 0.005 * scale, $"bf16 logits RMS error {rms} exceeds 0.5 % of the logit range {scale}");
        // Greedy decoding only changes where float32's top two logits lie closer than the rounding can move them:
        // every frame decided by a clear margin keeps its token.
        var top2 = expected.topk(2, -1).values;
        var clear = (top2.select(-1, 0) - top2.select(-1, 1)).gt(2 * diff);
        var kept = expected.argmax(-1).eq(logits.argmax(-1));
        Assert.True(kept.logical_or(clear.logical_not()).all().item<bool>(), $"{name}: a frame with a clear float32 margin changed its greedy token in bf16");
        Assert.True(kept.to(ScalarType.Float32).mean().item<float>() >= 0.97, $"{name}: fewer than 97 % of frames keep their greedy token");
    }
}
