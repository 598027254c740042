using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>The activation functions a Hugging Face config can name in <c>hidden_act</c> / <c>feat_extract_activation</c>.</summary>
public static class Activations
{
    /// <summary>The function for <paramref name="name"/>; <c>gelu</c> is the exact erf form, <c>gelu_new</c> the tanh approximation.</summary>
    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "gelu" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => x => nn.functional.relu(x),
        "swish" or "silu" => x => nn.functional.silu(x),
        "tanh" => x => x.tanh(),
        _ => throw new ArgumentException($"Unknown activation '{name}'."),
    };
}
