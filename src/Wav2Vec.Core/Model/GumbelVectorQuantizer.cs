using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="GumbelVectorQuantizer"/> returns.</summary>
/// <param name="Quantized">[B, T, codevector_dim] concatenation over groups of the chosen code vectors (q_t before project_q).</param>
/// <param name="CodevectorIndices">[B, T, G] int64, the chosen entry within each group (0…V−1).</param>
/// <param name="Logits">[B, T, G·V] weight_proj output; column g·V + v is group g, entry v.</param>
/// <param name="ProbPerplexity">Scalar perplexity of the mean softmax (the diversity loss, paper eq. 4, uses it).</param>
/// <param name="CodePerplexity">Scalar perplexity of the chosen codes (the codebook-usage metric).</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor CodevectorIndices, Tensor Logits, Tensor ProbPerplexity, Tensor CodePerplexity);

/// <summary>
/// Product quantization with G codebooks of V entries (paper §2.1): a linear map gives logits per group, a
/// straight-through Gumbel-softmax picks an entry while training (argmax at eval), and the picked vectors are
/// concatenated. Hugging Face names: <c>quantizer.codevectors</c> [1, G·V, D/G], <c>quantizer.weight_proj</c>.
/// </summary>
public sealed class GumbelVectorQuantizer : NamedModule
{
    // Looked up by name on use: Module.to(dtype/device) replaces the Parameter object.
    Parameter Codevectors => get_parameter("codevectors")!;
    readonly Linear weightProj;
    readonly long groups, entries, dim;

    /// <summary>Quantizes conv_dim[-1]-wide features to codevector_dim.</summary>
    public GumbelVectorQuantizer(Wav2Vec2Config config) : base(nameof(GumbelVectorQuantizer))
    {
        groups = config.NumCodevectorGroups;
        entries = config.NumCodevectorsPerGroup;
        dim = config.CodevectorDim;
        weightProj = nn.Linear(config.ConvOutputDim, groups * entries);
        register_parameter("codevectors", new Parameter(empty(1, groups * entries, dim / groups)));
        register_module("weight_proj", weightProj);
    }

    /// <summary>Hugging Face's initialisation: codevectors U(0, 1), weight_proj N(0, 1) with zero bias.</summary>
    public void Initialize()
    {
        using var _ = no_grad();
        nn.init.uniform_(Codevectors);
        nn.init.normal_(weightProj.weight!);
        weightProj.bias!.zero_();
    }

    /// <summary>
    /// Features [B, T, C] → <see cref="QuantizerOutput"/>. <paramref name="temperature"/> is the Gumbel τ (training
    /// only); perplexities average over frames where <paramref name="frameMask"/> [B, T] is true (all when null).
    /// The Gumbel draws come from <paramref name="generator"/>, or are <paramref name="gumbelNoise"/> [B, T, G, V] when given.
    /// <paramref name="withNoise"/> false trains without Gumbel draws (paper Table 5, "no Gumbel noise"): the hard code is
    /// the argmax of the logits and the gradient that of softmax(logits/τ) (<see cref="GumbelSoftmax.StraightThroughWithoutNoise"/>).
    /// </summary>
    public QuantizerOutput Forward(Tensor features, double temperature = 2.0, Tensor? frameMask = null, Generator? generator = null,
        Tensor? gumbelNoise = null, bool withNoise = true)
    {
        using var scope = NewDisposeScope();
        long b = features.shape[0], t = features.shape[1];
        if (gumbelNoise is not null && !withNoise)
            throw new ArgumentException("Gumbel noise was given to a quantizer asked to train without noise.", nameof(gumbelNoise));
        if (gumbelNoise is not null && !gumbelNoise.shape.SequenceEqual([b, t, groups, entries]))
            throw new ArgumentException(
                $"Gumbel noise has shape [{string.Join(", ", gumbelNoise.shape)}], expected [B, T, G, V] = [{b}, {t}, {groups}, {entries}].",
                nameof(gumbelNoise));
        var logits = weightProj.forward(features);
        var grouped = logits.view(b * t, groups, entries);
        var mask = frameMask?.reshape(b * t);
        var indices = grouped.argmax(-1);
        var hard = nn.functional.one_hot(indices, entries).to(ScalarType.Float32);
        var codePerplexity = GumbelSoftmax.Perplexity(hard, mask);
        var probPerplexity = GumbelSoftmax.Perplexity(grouped.to(ScalarType.Float32).softmax(-1), mask);
        Tensor probs;
        if (training)
        {
            probs = withNoise
                ? GumbelSoftmax.StraightThrough(grouped, temperature, generator, gumbelNoise?.reshape(b * t, groups, entries))
                : GumbelSoftmax.StraightThroughWithoutNoise(grouped, temperature);
            indices = probs.argmax(-1);
            codePerplexity = GumbelSoftmax.Perplexity(probs.detach(), mask);
        }
        else probs = hard;
        // Σ_v p[g, v] · codevector[g, v] for each group, as one batched product [G, B·T, V] · [G, V, D/G]: the same sum as
        // Hugging Face's broadcast product [B·T, G·V, D/G] summed over V, without that tensor (521 MB at BASE size on
        // 8 × 4 s, and as much again in the backward pass).
        var perGroup = probs.to(features.dtype).view(b * t, groups, entries).transpose(0, 1)
            .bmm(Codevectors[0].view(groups, entries, dim / groups));
        var quantized = perGroup.transpose(0, 1).reshape(b, t, dim);
        return new QuantizerOutput(quantized.MoveToOuterDisposeScope(), indices.view(b, t, groups).MoveToOuterDisposeScope(),
            logits.MoveToOuterDisposeScope(), probPerplexity.MoveToOuterDisposeScope(), codePerplexity.MoveToOuterDisposeScope());
    }
}
