using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>The optimiser and learning-rate schedule an <see cref="OptimizerSpec"/> describes.</summary>
public static class Optimizers
{
    /// <summary>AdamW over the trainable parameters (those with <c>requires_grad</c>).</summary>
    public static OptimizerHelper AdamW(IEnumerable<Parameter> parameters, OptimizerSpec spec) =>
        torch.optim.AdamW(parameters.Where(p => p.requires_grad), spec.LearningRate, spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay);

    /// <summary>The tri-stage schedule over <paramref name="steps"/> updates.</summary>
    public static TriStageSchedule Schedule(OptimizerSpec spec, int steps) =>
        new(spec.LearningRate, steps, spec.WarmupRatio, spec.HoldRatio, spec.DecayRatio, FinalScale: spec.FinalScale);
}
