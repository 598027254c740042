using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// The training step of the shipped Tiny preset gives the same loss and gradients in float32 as with the model in
/// float64. The parity fixtures are tiny; this guards the preset's own shapes against a libtorch kernel that is wrong
/// on the machine at hand (oneDNN has such kernels on AVX-512 CPUs for some conv widths, see <see cref="ConvBlock"/>).
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class PresetStepPrecisionTests
{
    [Fact]
    public void TinyPresetStepGivesTheSameLossAndGradientsInFloat32AndFloat64()
    {
        TorchRuntime.Seed(5);
        using var scope = NewDisposeScope();
        var config = Wav2Vec2Presets.Tiny();
        using var model = new Wav2Vec2ForPreTraining(config);
        var generator = new Generator(9);
        var audio = randn(2, 16000, generator: generator) * 0.1;
        var frames = (int)FrameLengths.Compute(16000, config);
        var mask = SpanMasking.Compute([frames, frames], frames, new MaskingOptions(0.65, 10, MinMasks: 2), seed: 3);
        var timeMask = SpanMasking.ToTensor(mask);
        var negatives = NegativeSampling.ToTensor(NegativeSampling.Sample(mask, config.NumNegatives, seed: 4));
        var noise = empty(2, frames, config.NumCodevectorGroups, config.NumCodevectorsPerGroup).exponential_(1.0, generator).log().neg();

        (double Loss, Tensor Codes, Dictionary<string, Tensor> Gradients) Step(ScalarType dtype)
        {
            model.to(dtype);
            model.zero_grad();
            model.train();
            var output = model.Forward(audio.to(dtype), null, timeMask, 2.0, null, noise);
            var losses = PretrainingObjective.Compute(output.ProjectedStates, output.ProjectedTargets, timeMask, negatives,
                output.Quantizer!.ProbPerplexity, config.NumCodevectorGroups, config.NumCodevectorsPerGroup, output.FeaturePenaltyInput,
                output.Quantizer!.CodevectorIndices, ObjectiveOptions.From(config));
            losses.Total.backward();
            return (losses.Total.item<float>(), output.Quantizer!.CodevectorIndices,
                model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.to(ScalarType.Float64)));
        }

        var single = Step(ScalarType.Float32);
        var reference = Step(ScalarType.Float64);
        Assert.True(Math.Abs(single.Loss - reference.Loss) <= 1e-4 * reference.Loss, $"loss {single.Loss} in float32, {reference.Loss} in float64");
        Assert.True(single.Codes.eq(reference.Codes).all().item<bool>(), "a Gumbel argmax differs between precisions (a near-tie: change the seed)");
        var largest = reference.Gradients.Values.Max(g => g.abs().max().item<double>());
        var wrong = reference.Gradients
            .Select(kv => (kv.Key, Diff: (single.Gradients[kv.Key] - kv.Value).abs().nan_to_num(1e30).max().item<double>(),
                Allowed: 1e-3 * Math.Max(kv.Value.abs().max().item<double>(), 1e-3 * largest)))
            .Where(r => r.Diff > r.Allowed).Select(r => $"{r.Key}: {r.Diff:E2} > {r.Allowed:E2}").ToList();
        Assert.True(wrong.Count == 0, "float32 gradients differ from float64:\n" + string.Join("\n", wrong));
    }
}
