using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Checkpoints;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="Wav2Vec2ForPreTraining"/> returns; the contrastive, diversity and penalty losses are built from it.</summary>
/// <param name="ProjectedStates">[B, T, proj_codevector_dim] project_hid(c_t).</param>
/// <param name="ProjectedQuantized">[B, T, proj_codevector_dim] project_q(q_t), the targets.</param>
/// <param name="Quantizer">Quantized vectors before project_q, code indices, logits and perplexities.</param>
/// <param name="Base">The network's outputs: conv features (feature-penalty input), extract features, hidden states, frame mask.</param>
public sealed record PreTrainingOutput(Tensor ProjectedStates, Tensor ProjectedQuantized, QuantizerOutput Quantizer, Wav2Vec2Output Base)
{
    /// <summary>[B, T, C] input of the L2 feature penalty (feature-encoder output, after the gradient scale).</summary>
    public Tensor FeaturePenaltyInput => Base.ConvFeatures;
}

/// <summary>
/// wav2vec 2.0 for self-supervised pre-training (paper §3): the network, the quantizer on the (unmasked) extract
/// features, and the projections of context vectors and targets into the shared space. Hugging Face names:
/// <c>wav2vec2.*</c>, <c>quantizer.*</c>, <c>project_hid</c>, <c>project_q</c> (<c>Wav2Vec2ForPreTraining</c>).
/// </summary>
public sealed class Wav2Vec2ForPreTraining : NamedModule
{
    readonly Wav2Vec2Model wav2vec2;
    readonly GumbelVectorQuantizer quantizer;
    readonly Linear projectHid, projectQ;

    /// <summary>A freshly initialised model for <paramref name="config"/>.</summary>
    public Wav2Vec2ForPreTraining(Wav2Vec2Config config) : this(new Wav2Vec2Model(config)) { }

    /// <summary>Pre-training heads around an existing network (its parameters are shared, not copied).</summary>
    public Wav2Vec2ForPreTraining(Wav2Vec2Model network) : base(nameof(Wav2Vec2ForPreTraining))
    {
        var config = network.Config;
        wav2vec2 = network;
        quantizer = new GumbelVectorQuantizer(config);
        quantizer.Initialize();
        projectHid = nn.Linear(config.HiddenSize, config.ProjCodevectorDim);
        projectQ = nn.Linear(config.CodevectorDim, config.ProjCodevectorDim);
        register_module("wav2vec2", wav2vec2);
        register_module("quantizer", quantizer);
        register_module("project_hid", projectHid);
        register_module("project_q", projectQ);
    }

    /// <summary>Loads a Hugging Face directory (config.json + model.safetensors or pytorch_model.bin) in eval mode; see <see cref="Wav2Vec2Checkpoint.LoadPreTraining"/> for the load report.</summary>
    public static Wav2Vec2ForPreTraining FromPretrained(string directory) => Wav2Vec2Checkpoint.LoadPreTraining(directory).Model;

    /// <summary>Saves as a Hugging Face directory; sidecar files such as vocab.json are copied from <paramref name="copyFrom"/>.</summary>
    public void SavePretrained(string directory, WeightFormat format = WeightFormat.Safetensors, string? copyFrom = null) =>
        Wav2Vec2Checkpoint.Save(this, Config, directory, format, copyFrom);

    /// <summary>The configuration of the network.</summary>
    public Wav2Vec2Config Config => wav2vec2.Config;

    /// <summary>The shared network (what fine-tuning keeps).</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>The quantizer.</summary>
    public GumbelVectorQuantizer Quantizer => quantizer;

    /// <summary>
    /// Waveform [B, L] → <see cref="PreTrainingOutput"/>. <paramref name="timeMask"/> [B, T] bool selects the frames
    /// replaced by the mask embedding (computed by the span-mask function); perplexities are averaged over those frames
    /// (over the real frames when no mask is given). <paramref name="temperature"/> is the Gumbel τ of the schedule; the
    /// Gumbel draws come from <paramref name="generator"/>, or are <paramref name="gumbelNoise"/> [B, T, G, V] when given.
    /// </summary>
    public PreTrainingOutput Forward(Tensor waveform, Tensor? attentionMask = null, Tensor? timeMask = null,
        double temperature = 2.0, Generator? generator = null, Tensor? gumbelNoise = null)
    {
        using var scope = NewDisposeScope();
        var network = wav2vec2.Forward(waveform, attentionMask, timeMask);
        var projectedStates = projectHid.forward(network.LastHiddenState);
        var features = nn.functional.dropout(network.ExtractFeatures, Config.FeatQuantizerDropout, training);
        var q = quantizer.Forward(features, temperature, timeMask ?? network.FrameMask, generator, gumbelNoise);
        var projectedQuantized = projectQ.forward(q.Quantized.to(projectQ.weight!.dtype));
        Tensor[] own = [projectedStates, projectedQuantized, q.Quantized, q.CodevectorIndices, q.Logits, q.ProbPerplexity, q.CodePerplexity];
        foreach (var t in own.Concat(network.Tensors()).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            t.MoveToOuterDisposeScope();
        return new PreTrainingOutput(projectedStates, projectedQuantized, q, network);
    }
}
