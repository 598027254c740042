using System.Text.Json;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Tests.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// A training-mode fixture of Fixtures/make_training_fixtures.py: a tiny model, two waveforms (the second padded,
/// with an attention mask), the fixed time mask [B, T], distractors [B, T, K] (indices within the utterance) and
/// Gumbel noise [B, T, G, V], and the reference's loss terms, logits, code indices and gradients.
/// </summary>
sealed class TrainingFixture
{
    public TrainingFixture(string name)
    {
        Dir = Fixture.Dir(name);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "train", "losses.json")));
        Reference = json.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var distractors = Array("distractors.npy");
        Distractors = Enumerable.Range(0, (int)distractors.shape[0])
            .Select(b => Enumerable.Range(0, (int)distractors.shape[1])
                .Select(t => distractors[b, t].data<long>().Select(i => (int)i).ToArray()).ToArray()).ToArray();
    }

    public string Dir { get; }

    /// <summary>Scalars of losses.json: loss terms, perplexities, τ, β, the number of masked frames.</summary>
    public IReadOnlyDictionary<string, double> Reference { get; }

    /// <summary>Distractor frames within each utterance, as <see cref="NegativeSampling.Sample"/> returns them.</summary>
    public int[][][] Distractors { get; }

    public Tensor Array(string file) => Npy.Read(Path.Combine(Dir, "train", file));

    public Tensor TimeMask() => Array("time_mask.npy").to(ScalarType.Bool);

    /// <summary>Reference gradients of the summed loss (Hugging Face's loss + β·N·penalty) by Hugging Face name.</summary>
    public Dictionary<string, Tensor> Gradients() => StateDictFile.Read(Path.Combine(Dir, "train", "gradients.bin"));

    /// <summary>[2, L] waveforms, the shorter one zero-padded at the end, and the [2, L] attention mask.</summary>
    public (Tensor Audio, Tensor AttentionMask) Batch()
    {
        var first = Fixture.Wave(Dir, "input.wav");
        var second = Fixture.Wave(Dir, "input2.wav");
        var pad = first.shape[1] - second.shape[1];
        var audio = cat([first, nn.functional.pad(second, [0, pad])], 0);
        var mask = cat([ones_like(first), nn.functional.pad(ones_like(second), [0, pad])], 0).to(ScalarType.Int64);
        return (audio, mask);
    }
}

/// <summary>
/// Deliberate departures from the fixture's settings, to show that the parity check can fail: κ, α, β and τ scaled,
/// another feature_grad_mult, Gumbel noise drawn instead of given, distractors rotated by one frame.
/// </summary>
public sealed record StepVariation(
    string Name, double KappaFactor = 1, double DiversityWeightFactor = 1, double PenaltyWeightFactor = 1,
    double GumbelTemperatureFactor = 1, double? FeatureGradMult = null, bool DrawNoise = false, bool RotateDistractors = false)
{
    public static StepVariation None { get; } = new("none");

    public override string ToString() => Name;
}

/// <summary>Our training step's quantities, in the units of the reference (sums over the N masked frames).</summary>
sealed record StepOutcome(
    IReadOnlyDictionary<string, double> Scalars, Tensor Logits, Tensor CodeIndices, Tensor ProjectedStates, Tensor ProjectedQuantized,
    IReadOnlyDictionary<string, Tensor> Gradients, IReadOnlyList<string> ParametersWithoutGradient);

static class TrainingStepUnderTest
{
    /// <summary>
    /// What the trainer's step does, with the fixture's mask, distractors and noise: the model in training mode,
    /// <see cref="Wav2Vec2ForPreTraining.Forward"/> with the time mask, <see cref="NegativeSampling.ToTensor"/>,
    /// <see cref="PretrainingObjective.Compute(Tensor, Tensor, Tensor, Tensor, Tensor, int, int, Tensor, Tensor, ObjectiveOptions)"/> and the backward pass of <see cref="PretrainingLosses.Total"/>.
    /// Gradients are multiplied by N, because Total is per masked frame and the reference loss a sum.
    /// </summary>
    public static StepOutcome Run(TrainingFixture fixture, StepVariation variation)
    {
        var loaded = Wav2Vec2Checkpoint.Load(fixture.Dir, KeyMatching.SharedNetwork, null,
            config => new Wav2Vec2ForPreTraining(config with { FeatureGradMult = variation.FeatureGradMult ?? config.FeatureGradMult }));
        Assert.Empty(loaded.Report.Missing);
        using var model = loaded.Model;
        model.train();
        var config = model.Config;
        var (audio, attentionMask) = fixture.Batch();
        var timeMask = fixture.TimeMask();
        var distractors = variation.RotateDistractors
            ? fixture.Distractors.Select(row => row.Select(d => d.Select(i => (i + 1) % row.Length).ToArray()).ToArray()).ToArray()
            : fixture.Distractors;
        var negatives = NegativeSampling.ToTensor(distractors);
        var temperature = fixture.Reference["gumbel_temperature"] * variation.GumbelTemperatureFactor;
        using var generator = new Generator(1);
        var output = model.Forward(audio, attentionMask, timeMask, temperature, generator,
            variation.DrawNoise ? null : fixture.Array("gumbel_noise.npy"));
        var baseline = ObjectiveOptions.From(config, fixture.Reference["feature_penalty_weight"]);
        var options = baseline with
        {
            Temperature = baseline.Temperature * variation.KappaFactor,
            DiversityWeight = baseline.DiversityWeight * variation.DiversityWeightFactor,
            FeaturePenaltyWeight = baseline.FeaturePenaltyWeight * variation.PenaltyWeightFactor,
        };
        var losses = PretrainingObjective.Compute(output.ProjectedStates, output.ProjectedTargets, timeMask, negatives,
            output.Quantizer!.ProbPerplexity, config.NumCodevectorGroups, config.NumCodevectorsPerGroup,
            output.FeaturePenaltyInput, output.Quantizer!.CodevectorIndices, options);
        losses.Total.backward();
        var logits = ContrastiveLogits.Compute(output.ProjectedStates.detach(), output.ProjectedTargets.detach(), timeMask, negatives,
            options.Temperature);

        double n = losses.MaskedFrames;
        var v = losses.ToValues();
        var scalars = new Dictionary<string, double>
        {
            ["masked_frames"] = n, ["contrastive"] = v.Contrastive, ["diversity"] = v.Diversity, ["feature_penalty"] = v.FeaturePenalty,
            ["prob_perplexity"] = v.Perplexity, ["code_perplexity"] = output.Quantizer!.CodePerplexity.item<float>(),
            ["loss_hf"] = v.Contrastive + options.DiversityWeight * v.Diversity * n, ["loss_total"] = v.Total * n,
        };
        var parameters = model.named_parameters().ToList();
        var gradients = parameters.Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach() * n);
        var without = parameters.Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        return new StepOutcome(scalars, logits, output.Quantizer!.CodevectorIndices, output.ProjectedStates.detach(),
            output.ProjectedTargets.detach(), gradients, without);
    }
}
