using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// Training-mode parity with Hugging Face's <c>Wav2Vec2ForPreTraining</c> loss, plus fairseq's feature penalty and
/// GradMultiply, on the fixtures of Fixtures/make_training_fixtures.py: with the same time mask, distractors and
/// Gumbel noise, our step gives the same loss terms, perplexities, logits, code indices and gradients of every
/// parameter. Eval-mode parity cannot see the learned mask embedding, the straight-through gradient, the
/// distractors, the −∞ rule, the loss weights or the gradient scale; this does.
/// <para>
/// Tolerance: a quantity matches when max |ours − reference| ≤ 1e-4 · max(1, max |reference|), i.e. 1e-4 absolute
/// for quantities of magnitude up to 1 and 1e-4 relative to the largest entry above. Gradients are compared in the
/// reference's units: those of the summed loss, N times ours. Code indices, masked-frame counts and the positions of
/// −∞ logits must match exactly.
/// </para>
/// </summary>
public class TrainingParityTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    public static TheoryData<string> Fixtures => ["hf-tiny-group-train", "hf-tiny-layer-stable-train"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TrainingStepMatchesReferenceLossTermsLogitsAndEveryGradient(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = new TrainingFixture(name);
        var ours = TrainingStepUnderTest.Run(fixture, StepVariation.None);
        var rows = Compare(fixture, ours);
        foreach (var r in rows) output.WriteLine(r.ToString());
        Assert.Empty(ours.ParametersWithoutGradient);
        Assert.True(fixture.Reference["neg_is_pos"] > 0, "the fixture must exercise the −∞ rule");
        Assert.Equal(fixture.Gradients().Keys.Order(), ours.Gradients.Keys.Order());
        var failed = rows.Where(r => !r.Matches).ToList();
        Assert.True(failed.Count == 0, $"{name}: {failed.Count} of {rows.Count} quantities differ:\n{string.Join("\n", failed)}");
    }

    public static TheoryData<StepVariation> Variations =>
    [
        new("kappa +1 %", KappaFactor: 1.01),
        new("diversity weight x2", DiversityWeightFactor: 2),
        new("feature penalty weight x2", PenaltyWeightFactor: 2),
        new("Gumbel temperature x1.1", GumbelTemperatureFactor: 1.1),
        new("feature_grad_mult 1 instead of 0.1", FeatureGradMult: 1.0),
        new("Gumbel noise drawn, not given", DrawNoise: true),
        new("distractors one frame off", RotateDistractors: true),
    ];

    [Theory]
    [MemberData(nameof(Variations))]
    public void ParityCheckFailsWhenOneSettingOfTheStepDiffers(StepVariation variation)
    {
        using var scope = NewDisposeScope();
        var fixture = new TrainingFixture("hf-tiny-group-train");
        var failed = Compare(fixture, TrainingStepUnderTest.Run(fixture, variation)).Where(r => !r.Matches).ToList();
        foreach (var r in failed) output.WriteLine(r.ToString());
        Assert.NotEmpty(failed);
    }

    sealed record Row(string Quantity, double MaxAbs, double MaxRel, double Allowed, bool Exact = true)
    {
        public bool Matches => Exact && MaxAbs <= Allowed;

        public override string ToString() =>
            $"{Quantity,-62} max abs {MaxAbs:E2}  max rel {MaxRel:E2}  allowed {Allowed:E2}{(Exact ? "" : "  (exact part differs)")}";
    }

    static List<Row> Compare(TrainingFixture fixture, StepOutcome ours)
    {
        var rows = new List<Row>();
        foreach (var (key, value) in ours.Scalars)
        {
            var expected = fixture.Reference[key];
            var diff = Math.Abs(value - expected);
            rows.Add(new Row(key, diff, diff / Math.Max(Math.Abs(expected), 1e-30), Allowed(Math.Abs(expected)),
                key != "masked_frames" || diff == 0));
        }
        rows.Add(CompareArrays("logits", fixture.Array("logits.npy"), ours.Logits));
        var codes = fixture.Array("code_indices.npy");
        rows.Add(new Row("code_indices", codes.ne(ours.CodeIndices).sum().item<long>(), 0, 0));
        rows.Add(CompareArrays("projected_states", fixture.Array("projected_states.npy"), ours.ProjectedStates));
        rows.Add(CompareArrays("projected_quantized", fixture.Array("projected_quantized.npy"), ours.ProjectedQuantized));
        foreach (var (name, expected) in fixture.Gradients().OrderBy(kv => kv.Key, StringComparer.Ordinal))
            rows.Add(ours.Gradients.TryGetValue(name, out var actual)
                ? CompareArrays("grad " + name, expected, actual)
                : new Row("grad " + name, double.PositiveInfinity, double.PositiveInfinity, 0, Exact: false));
        return rows;
    }

    static double Allowed(double magnitude) => Tolerance * Math.Max(1, magnitude);

    /// <summary>Shapes and the positions of infinities must agree exactly; finite entries within <see cref="Allowed"/>.</summary>
    static Row CompareArrays(string what, Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float32);
        var a = actual.detach().to(ScalarType.Float32);
        if (!e.shape.SequenceEqual(a.shape)) return new Row(what + " (shape)", double.PositiveInfinity, double.PositiveInfinity, 0, false);
        var finite = e.isfinite();
        var samePattern = finite.eq(a.isfinite()).all().item<bool>() && e.where(finite.logical_not(), 0).eq(a.where(finite.logical_not(), 0)).all().item<bool>();
        var scale = e.where(finite, 0).abs().max().item<float>();
        var diff = (e - a).where(finite, 0).abs().max().item<float>();
        return new Row(what, diff, diff / Math.Max(scale, 1e-30), Allowed(scale), samePattern);
    }
}
