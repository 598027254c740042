using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// A pre-training model small enough for diagnostics tests (3 conv blocks, stride 20 → 800 frames/s, 32 wide, one
/// layer, 2 × 8 codes, K = 10) and one update written with the public model and objective API, diagnostics included.
/// </summary>
static class MicroPretraining
{
    public static readonly Wav2Vec2Config Config = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [32, 32, 32], ConvKernel = [10, 3, 3], ConvStride = [5, 2, 2],
        HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64,
        NumConvPosEmbeddings = 16, NumConvPosEmbeddingGroups = 4,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 8, CodevectorDim = 16, ProjCodevectorDim = 16, NumNegatives = 10,
    };

    public static readonly MaskingOptions Masking = new(0.5, 5, MinMasks: 2);

    public static readonly ObjectiveOptions Objective = ObjectiveOptions.From(Config, featurePenaltyWeight: 0);

    public static Wav2Vec2ForPreTraining Model(int seed = 11)
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(seed);
        return new Wav2Vec2ForPreTraining(Config);
    }

    /// <summary>
    /// One update on <paramref name="audio"/> [B, L] with a fresh mask, fresh distractors and Gumbel noise per step; the
    /// diagnostics are measured between backward and the optimiser step, as a trainer would.
    /// </summary>
    public static (PretrainingLossValues Losses, PretrainingDiagnostics Diagnostics) Step(
        Wav2Vec2ForPreTraining model, optim.Optimizer optimizer, Tensor audio, int step, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        model.train();
        optimizer.zero_grad();
        var frames = (int)FrameLengths.Compute(audio.shape[1], Config);
        var mask = SpanMasking.Compute(Enumerable.Repeat(frames, (int)audio.shape[0]).ToArray(), frames, Masking, seed: 1000 + step);
        var timeMask = SpanMasking.ToTensor(mask);
        var negatives = NegativeSampling.ToTensor(NegativeSampling.Sample(mask, Objective.NumNegatives, seed: 2000 + step));
        using var noise = new Generator((ulong)(3000 + step));
        var output = model.Forward(audio, null, timeMask, temperature, noise);
        var losses = PretrainingObjective.Compute(output.ProjectedStates, output.ProjectedTargets, timeMask, negatives,
            output.Quantizer!.ProbPerplexity, Config.NumCodevectorGroups, Config.NumCodevectorsPerGroup, output.FeaturePenaltyInput,
            output.Quantizer!.CodevectorIndices, Objective);
        losses.Total.backward();
        var diagnostics = PretrainingDiagnostics.Measure(output, losses, timeMask, seed: 4000 + step).WithGradients(model);
        optimizer.step();
        return (losses.ToValues(), diagnostics);
    }
}
