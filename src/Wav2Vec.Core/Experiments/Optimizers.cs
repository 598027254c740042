using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>The optimiser and learning-rate schedule an <see cref="OptimizerSpec"/> describes.</summary>
public static class Optimizers
{
    /// <summary>Parameters that get no weight decay unless <see cref="OptimizerSpec.NoDecay"/> says otherwise: biases and norm weights (Hugging Face names all wav2vec 2.0 norms <c>layer_norm</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultNoDecay = ["*.bias", "*layer_norm.weight"];

    /// <summary>
    /// AdamW over the trainable parameters (those with <c>requires_grad</c>) in two groups: those matching
    /// <see cref="OptimizerSpec.NoDecay"/> (or <paramref name="defaultNoDecay"/> when it is null) without weight decay,
    /// the rest with <see cref="OptimizerSpec.WeightDecay"/>. β, ε and the peak learning rate come from <paramref name="spec"/>.
    /// </summary>
    public static AdamW AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, OptimizerSpec spec, IEnumerable<string> defaultNoDecay)
    {
        var patterns = (spec.NoDecay ?? [.. defaultNoDecay]).Select(Pattern).ToList();
        var trainable = parameters.Where(p => p.Parameter.requires_grad).ToList();
        bool Exempt(string name) => patterns.Any(p => p.IsMatch(name));
        AdamW.ParamGroup Group(bool decay) => new(trainable.Where(p => Exempt(p.Name) != decay).Select(p => p.Parameter),
            spec.LearningRate, spec.Beta1, spec.Beta2, spec.Epsilon, decay ? spec.WeightDecay : 0);
        return torch.optim.AdamW([Group(decay: true), Group(decay: false)], spec.LearningRate, spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay);
    }

    /// <summary>The tri-stage schedule over <paramref name="steps"/> updates.</summary>
    public static TriStageSchedule Schedule(OptimizerSpec spec, int steps) =>
        new(spec.LearningRate, steps, spec.WarmupRatio, spec.HoldRatio, spec.DecayRatio, FinalScale: spec.FinalScale);

    static Regex Pattern(string glob) => new("^" + string.Join(".*", glob.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
}
