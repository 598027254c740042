using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Checkpoints;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="Wav2Vec2ForPreTraining"/> returns; the contrastive, diversity and penalty losses are built from it.</summary>
/// <param name="ProjectedStates">[B, T, proj_codevector_dim] project_hid(c_t).</param>
/// <param name="ProjectedTargets">
/// [B, T, proj_codevector_dim] the contrastive targets: project_q(q_t) of the quantized latents, or with continuous
/// targets project_features of the unmasked LayerNorm'd feature-encoder output.
/// </param>
/// <param name="Quantizer">Quantized vectors before project_q, code indices, logits and perplexities; null with continuous targets.</param>
/// <param name="Base">The network's outputs: conv features (feature-penalty input), extract features, hidden states, frame mask.</param>
public sealed record PreTrainingOutput(Tensor ProjectedStates, Tensor ProjectedTargets, QuantizerOutput? Quantizer, Wav2Vec2Output Base)
{
    /// <summary>[B, T, C] input of the L2 feature penalty (feature-encoder output, after the gradient scale).</summary>
    public Tensor FeaturePenaltyInput => Base.ConvFeatures;
}

/// <summary>
/// wav2vec 2.0 for self-supervised pre-training (paper §3): the network, the quantizer on the (unmasked) extract
/// features, and the projections of context vectors and targets into the shared space. Hugging Face names:
/// <c>wav2vec2.*</c>, <c>quantizer.*</c>, <c>project_hid</c>, <c>project_q</c> (<c>Wav2Vec2ForPreTraining</c>).
/// With continuous targets (fairseq's <c>quantize_targets=False</c>; paper Table 5, "continuous input, continuous
/// targets") there is no quantizer and no <c>project_q</c>: the targets are <c>project_features</c>
/// (conv_dim[-1] → proj_codevector_dim) of the same unmasked extract features. It has a name of its own because its
/// input is conv_dim[-1] wide where project_q's is codevector_dim (512 and 256 in BASE), so a checkpoint of either
/// kind loads as the other without a shape clash: the missing head is fresh and the other one ignored.
/// </summary>
public sealed class Wav2Vec2ForPreTraining : NamedModule
{
    /// <summary>The state-dict name of the continuous-targets projection.</summary>
    public const string ProjectFeaturesName = "project_features";

    readonly Wav2Vec2Model wav2vec2;
    readonly GumbelVectorQuantizer? quantizer;
    readonly Linear projectHid, projectTargets;

    /// <summary>A freshly initialised model for <paramref name="config"/>; quantized targets unless <paramref name="continuousTargets"/>.</summary>
    public Wav2Vec2ForPreTraining(Wav2Vec2Config config, bool continuousTargets = false) : this(new Wav2Vec2Model(config), continuousTargets) { }

    /// <summary>Pre-training heads around an existing network (its parameters are shared, not copied).</summary>
    public Wav2Vec2ForPreTraining(Wav2Vec2Model network, bool continuousTargets = false) : base(nameof(Wav2Vec2ForPreTraining))
    {
        var config = network.Config;
        wav2vec2 = network;
        register_module("wav2vec2", wav2vec2);
        if (continuousTargets)
        {
            projectHid = nn.Linear(config.HiddenSize, config.ProjCodevectorDim);
            projectTargets = nn.Linear(config.ConvOutputDim, config.ProjCodevectorDim);
            register_module("project_hid", projectHid);
            register_module(ProjectFeaturesName, projectTargets);
            return;
        }
        quantizer = new GumbelVectorQuantizer(config);
        quantizer.Initialize();
        projectHid = nn.Linear(config.HiddenSize, config.ProjCodevectorDim);
        projectTargets = nn.Linear(config.CodevectorDim, config.ProjCodevectorDim);
        register_module("quantizer", quantizer);
        register_module("project_hid", projectHid);
        register_module("project_q", projectTargets);
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

    /// <summary>The quantizer; null with continuous targets.</summary>
    public GumbelVectorQuantizer? Quantizer => quantizer;

    /// <summary>True when the targets are the projected feature-encoder output rather than quantized latents.</summary>
    public bool ContinuousTargets => quantizer is null;

    /// <summary>
    /// Waveform [B, L] → <see cref="PreTrainingOutput"/>. <paramref name="timeMask"/> [B, T] bool selects the frames
    /// replaced by the mask embedding (computed by the span-mask function); perplexities are averaged over those frames
    /// (over the real frames when no mask is given). <paramref name="temperature"/> is the Gumbel τ of the schedule; the
    /// Gumbel draws come from <paramref name="generator"/>, or are <paramref name="gumbelNoise"/> [B, T, G, V] when given;
    /// <paramref name="withNoise"/> false trains the quantizer without them (<see cref="GumbelVectorQuantizer.Forward"/>).
    /// With continuous targets the last four are not read. The targets come from the unmasked features and are not
    /// detached, as in fairseq: the contrastive loss reaches the feature encoder through them too.
    /// </summary>
    public PreTrainingOutput Forward(Tensor waveform, Tensor? attentionMask = null, Tensor? timeMask = null,
        double temperature = 2.0, Generator? generator = null, Tensor? gumbelNoise = null, bool withNoise = true)
    {
        using var scope = NewDisposeScope();
        var network = wav2vec2.Forward(waveform, attentionMask, timeMask);
        var projectedStates = projectHid.forward(network.LastHiddenState);
        var features = Dropouts.Apply(network.ExtractFeatures, Config.FeatQuantizerDropout, training);
        var q = quantizer?.Forward(features, temperature, timeMask ?? network.FrameMask, generator, gumbelNoise, withNoise);
        var projectedTargets = projectTargets.forward((q?.Quantized ?? features).to(projectTargets.weight!.dtype));
        Tensor[] own = q is null
            ? [projectedStates, projectedTargets]
            : [projectedStates, projectedTargets, q.Quantized, q.CodevectorIndices, q.Logits, q.ProbPerplexity, q.CodePerplexity];
        foreach (var t in own.Concat(network.Tensors()).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            t.MoveToOuterDisposeScope();
        return new PreTrainingOutput(projectedStates, projectedTargets, q, network);
    }
}
