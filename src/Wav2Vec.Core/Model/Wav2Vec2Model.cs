using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="Wav2Vec2Model"/> returns (Hugging Face <c>Wav2Vec2BaseModelOutput</c> plus the stages before it).</summary>
/// <param name="ConvFeatures">[B, T, C] feature-encoder output z before any norm (input of the L2 feature penalty).</param>
/// <param name="ExtractFeatures">[B, T, C] LayerNorm of <paramref name="ConvFeatures"/>; the quantizer's input.</param>
/// <param name="Projected">[B, T, D] feature projection output, after span masking when a time mask was given.</param>
/// <param name="Encoder">Per-layer hidden states and the last hidden state.</param>
/// <param name="FrameMask">[B, T] bool, true on real frames; null when no attention mask was given (all frames real).</param>
/// <param name="FrameLengths">Real frames per batch row.</param>
public sealed record Wav2Vec2Output(
    Tensor ConvFeatures, Tensor ExtractFeatures, Tensor Projected, EncoderOutput Encoder, Tensor? FrameMask, long[] FrameLengths)
{
    /// <summary>[B, T, D] the context representations c_t.</summary>
    public Tensor LastHiddenState => Encoder.LastHiddenState;

    /// <summary>Hugging Face <c>hidden_states</c>: num_hidden_layers + 1 tensors [B, T, D].</summary>
    public IReadOnlyList<Tensor> HiddenStates => Encoder.HiddenStates;

    /// <summary>Every distinct tensor of this output, for moving them out of a dispose scope together.</summary>
    public IEnumerable<Tensor> Tensors() =>
        new[] { ConvFeatures, ExtractFeatures, Projected, FrameMask }.Concat(HiddenStates).Concat(Encoder.Attentions ?? [])
            .OfType<Tensor>().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();
}

/// <summary>
/// The wav2vec 2.0 network without heads: feature encoder → feature projection → optional span masking with the
/// learned <c>masked_spec_embed</c> → context network. Hugging Face prefix: <c>wav2vec2.</c> in the task models.
/// </summary>
public sealed class Wav2Vec2Model : NamedModule
{
    readonly FeatureEncoder featureEncoder;
    readonly FeatureProjection featureProjection;
    readonly TransformerEncoder encoder;
    readonly bool hasMaskedSpecEmbed;
    bool featureEncoderFrozen;

    /// <summary>An initialised model for <paramref name="config"/> (validated first).</summary>
    public Wav2Vec2Model(Wav2Vec2Config config) : base(nameof(Wav2Vec2Model))
    {
        Config = config.Validate();
        featureEncoder = new FeatureEncoder(config);
        featureProjection = new FeatureProjection(config);
        encoder = new TransformerEncoder(config);
        hasMaskedSpecEmbed = config.HasMaskedSpecEmbed;
        if (hasMaskedSpecEmbed) register_parameter("masked_spec_embed", new Parameter(empty(config.HiddenSize)));
        register_module("feature_extractor", featureEncoder);
        register_module("feature_projection", featureProjection);
        register_module("encoder", encoder);
        Wav2Vec2Initialization.Apply(this);
    }

    /// <summary>The configuration this model was built from.</summary>
    public Wav2Vec2Config Config { get; }

    /// <summary>The stages, for initialisation and inspection.</summary>
    public FeatureEncoder FeatureEncoder => featureEncoder;

    /// <inheritdoc cref="FeatureProjection"/>
    public FeatureProjection FeatureProjection => featureProjection;

    /// <inheritdoc cref="TransformerEncoder"/>
    public TransformerEncoder Encoder => encoder;

    /// <summary>The learned mask embedding [hidden] (absent when the config has no masking, as in Hugging Face).</summary>
    public Parameter? MaskedSpecEmbed => hasMaskedSpecEmbed ? get_parameter("masked_spec_embed") : null;

    /// <summary>
    /// The dtype the network computes in; null (the default) computes in the parameters' dtype. BFloat16 on a float32
    /// model is mixed-precision training: the float32 master weights are cast to bf16 where they are used (their
    /// gradients arrive in float32, and the optimiser state stays float32), activations are bf16, norm and softmax
    /// statistics accumulate in float32, and every output is cast back to float32 for the heads and losses.
    /// </summary>
    public ScalarType? ComputeType { get; set; }

    /// <summary>The parameters' dtype (what <see cref="Wav2Vec2Output"/> tensors are returned in).</summary>
    public ScalarType ParameterType => featureProjection.Projection.weight!.dtype;

    /// <summary>Whether the feature encoder is frozen (no gradients, no graph).</summary>
    public bool FeatureEncoderFrozen => featureEncoderFrozen;

    /// <summary>Stops training the feature encoder, as in fine-tuning (paper §4): its parameters get no gradients.</summary>
    public void FreezeFeatureEncoder()
    {
        foreach (var p in featureEncoder.parameters()) p.requires_grad = false;
        featureEncoderFrozen = true;
    }

    /// <summary>
    /// Waveform [B, L] → <see cref="Wav2Vec2Output"/>.
    /// <paramref name="attentionMask"/> [B, L] (nonzero = real sample) marks padding at the end of rows;
    /// <paramref name="timeMask"/> [B, T] bool replaces those projected frames by <c>masked_spec_embed</c>;
    /// <paramref name="channelMask"/> [B, D] bool zeroes those projected channels (fine-tuning channel masking);
    /// <paramref name="outputAttentions"/> also returns each layer's attention probabilities (<see cref="EncoderOutput.Attentions"/>).
    /// </summary>
    public Wav2Vec2Output Forward(Tensor waveform, Tensor? attentionMask = null, Tensor? timeMask = null, Tensor? channelMask = null,
        bool outputAttentions = false)
    {
        using var scope = NewDisposeScope();
        var input = waveform.to(ComputeType ?? ParameterType);
        Tensor conv;
        if (featureEncoderFrozen)
        {
            using var _ = no_grad();
            conv = featureEncoder.Forward(input);
        }
        else conv = featureEncoder.Forward(input);
        StepTiming.Mark(StepTiming.FeatureEncoder);
        var frameMask = attentionMask is null ? null : FrameLengths.FrameMask(attentionMask, conv.shape[1], Config);
        var output = InParameterType(Network(conv, frameMask, timeMask, channelMask, outputAttentions));
        StepTiming.Mark(StepTiming.Transformer);
        return output;
    }

    /// <summary>
    /// The network after the feature encoder: conv features [B, T, C] (the encoder's output, e.g. kept in a
    /// <see cref="Training.FeatureCache"/> while the encoder is frozen) → <see cref="Wav2Vec2Output"/>.
    /// <paramref name="frameMask"/> [B, T] bool marks real frames (null: all real); masks as in <see cref="Forward"/>.
    /// </summary>
    public Wav2Vec2Output FromConvFeatures(Tensor conv, Tensor? frameMask = null, Tensor? timeMask = null, Tensor? channelMask = null,
        bool outputAttentions = false)
    {
        using var scope = NewDisposeScope();
        return InParameterType(Network(conv.to(ComputeType ?? ParameterType), frameMask, timeMask, channelMask, outputAttentions));
    }

    Wav2Vec2Output Network(Tensor conv, Tensor? frameMask, Tensor? timeMask, Tensor? channelMask, bool outputAttentions)
    {
        var convFeatures = training ? GradientScale.Apply(conv, Config.FeatureGradMult) : conv;
        long b = convFeatures.shape[0], frames = convFeatures.shape[1];
        var lengths = frameMask is null
            ? Enumerable.Repeat(frames, (int)b).ToArray()
            : frameMask.sum(1).cpu().data<long>().ToArray();
        var (projected, extract) = featureProjection.Forward(convFeatures);
        if (timeMask is not null)
        {
            if (MaskedSpecEmbed is not { } embed)
                throw new InvalidOperationException("A time mask was given, but this config has no masked_spec_embed (mask_time_prob and mask_feature_prob are 0).");
            projected = where(timeMask.unsqueeze(-1), embed.to(projected.dtype), projected);
        }
        if (channelMask is not null) projected = projected.masked_fill(channelMask.unsqueeze(1), 0);
        StepTiming.Mark(StepTiming.Projection);
        var encoded = encoder.Forward(projected, frameMask, outputAttentions);
        return new Wav2Vec2Output(convFeatures, extract, projected, encoded, frameMask, lengths);
    }

    /// <summary>The output with every tensor in the parameters' dtype (attention probabilities stay float32), moved out of the caller's scope.</summary>
    Wav2Vec2Output InParameterType(Wav2Vec2Output output)
    {
        var dtype = ParameterType;
        if (output.LastHiddenState.dtype != dtype)
        {
            var cast = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            Tensor To(Tensor t) => cast.TryGetValue(t, out var c) ? c : cast[t] = t.to(dtype);
            var encoded = output.Encoder with
            {
                HiddenStates = [.. output.HiddenStates.Select(To)],
                LastHiddenState = To(output.LastHiddenState),
            };
            output = output with
            {
                ConvFeatures = To(output.ConvFeatures), ExtractFeatures = To(output.ExtractFeatures),
                Projected = To(output.Projected), Encoder = encoded,
            };
        }
        foreach (var t in output.Tensors()) t.MoveToOuterDisposeScope();
        return output;
    }
}
