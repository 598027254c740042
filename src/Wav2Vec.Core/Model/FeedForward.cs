using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Position-wise feed-forward: Linear → activation → dropout → Linear → dropout.
/// Hugging Face name: <c>feed_forward.{intermediate_dense,output_dense}</c>.
/// </summary>
public sealed class FeedForward : NamedModule
{
    readonly Linear intermediate, output;
    readonly Func<Tensor, Tensor> activation;
    readonly double activationDropout, hiddenDropout;

    /// <summary>hidden_size → intermediate_size → hidden_size.</summary>
    public FeedForward(Wav2Vec2Config config) : base(nameof(FeedForward))
    {
        intermediate = nn.Linear(config.HiddenSize, config.IntermediateSize);
        output = nn.Linear(config.IntermediateSize, config.HiddenSize);
        register_module("intermediate_dense", intermediate);
        register_module("output_dense", output);
        activation = Activations.Get(config.HiddenAct);
        activationDropout = config.ActivationDropout;
        hiddenDropout = config.HiddenDropout;
    }

    /// <summary>The two projections (for initialisation).</summary>
    public IEnumerable<Linear> Projections => [intermediate, output];

    /// <summary>[B, T, D] → [B, T, D].</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Dropouts.Apply(activation(Autocast.Linear(intermediate, x)), activationDropout, training);
        return Dropouts.Apply(Autocast.Linear(output, h), hiddenDropout, training).MoveToOuterDisposeScope();
    }
}
