using static Wav2Vec.Model.Wav2Vec2ConfigLimits;

namespace Wav2Vec.Model;

/// <summary>
/// Checks a <see cref="Wav2Vec2Config"/>; every error names the Hugging Face field at fault. Sizes are checked against
/// <see cref="Wav2Vec2ConfigLimits"/> before any derived quantity is computed, then the weights against the memory available.
/// </summary>
static class Wav2Vec2ConfigValidation
{
    static readonly string[] Activations = ["gelu", "relu", "gelu_new", "gelu_pytorch_tanh", "swish", "silu", "tanh"];

    public static Wav2Vec2Config Check(Wav2Vec2Config c, string source, long? availableBytes)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok) throw new ArgumentException($"{source}: field '{field}' {problem}");
        }

        void AtMost(long value, long limit, string field) =>
            Require(value <= limit, field, $"is {value}, above the limit of {limit}.");

        Require(c.ModelType == "wav2vec2", "model_type", $"is '{c.ModelType}'; only \"wav2vec2\" models are supported.");
        Require(!c.ConvDim.IsDefaultOrEmpty, "conv_dim", "must list at least one conv layer.");
        AtMost(c.ConvDim.Length, ConvLayers, "conv_dim");
        Require(!c.ConvKernel.IsDefault && c.ConvKernel.Length == c.ConvDim.Length, "conv_kernel",
            $"has {(c.ConvKernel.IsDefault ? 0 : c.ConvKernel.Length)} entries but 'conv_dim' has {c.ConvDim.Length}.");
        Require(!c.ConvStride.IsDefault && c.ConvStride.Length == c.ConvDim.Length, "conv_stride",
            $"has {(c.ConvStride.IsDefault ? 0 : c.ConvStride.Length)} entries but 'conv_dim' has {c.ConvDim.Length}.");
        Require(c.ConvDim.All(d => d > 0), "conv_dim", "must be positive.");
        Require(c.ConvKernel.All(k => k > 0), "conv_kernel", "must be positive.");
        Require(c.ConvStride.All(s => s > 0), "conv_stride", "must be positive.");
        AtMost(c.ConvDim.Max(), ConvChannels, "conv_dim");
        AtMost(c.ConvKernel.Max(), ConvKernel, "conv_kernel");
        AtMost(c.ConvStride.Max(), ConvStride, "conv_stride");
        var (stride, field) = StrideAndField(c);
        Require(stride <= TotalStride, "conv_stride", $"multiplies to {stride:0} samples per frame, above the limit of {TotalStride}.");
        Require(field <= ReceptiveField, "conv_kernel", $"gives a receptive field of {field:0} samples, above the limit of {ReceptiveField}.");
        if (c.Extra.TryGetValue("num_feat_extract_layers", out var n) && n.TryGetInt32(out var layers))
            Require(layers == c.ConvDim.Length, "num_feat_extract_layers", $"is {layers} but 'conv_dim' has {c.ConvDim.Length} entries.");
        Require(c.FeatExtractNorm is "group" or "layer", "feat_extract_norm", $"is '{c.FeatExtractNorm}'; use \"group\" or \"layer\".");
        Require(Activations.Contains(c.HiddenAct), "hidden_act", $"is '{c.HiddenAct}'; supported: {string.Join(", ", Activations)}.");
        Require(Activations.Contains(c.FeatExtractActivation), "feat_extract_activation",
            $"is '{c.FeatExtractActivation}'; supported: {string.Join(", ", Activations)}.");
        Require(c.HiddenSize > 0, "hidden_size", "must be positive.");
        AtMost(c.HiddenSize, HiddenSize, "hidden_size");
        Require(c.NumHiddenLayers > 0, "num_hidden_layers", "must be positive.");
        AtMost(c.NumHiddenLayers, HiddenLayers, "num_hidden_layers");
        AtMost(c.NumAttentionHeads, AttentionHeads, "num_attention_heads");
        Require(c.NumAttentionHeads > 0 && c.HiddenSize % c.NumAttentionHeads == 0, "num_attention_heads",
            $"({c.NumAttentionHeads}) must divide 'hidden_size' ({c.HiddenSize}).");
        Require(c.IntermediateSize > 0, "intermediate_size", "must be positive.");
        AtMost(c.IntermediateSize, IntermediateSize, "intermediate_size");
        Require(c.NumConvPosEmbeddings > 0, "num_conv_pos_embeddings", "must be positive.");
        AtMost(c.NumConvPosEmbeddings, PositionalConvKernel, "num_conv_pos_embeddings");
        Require(c.NumConvPosEmbeddingGroups > 0 && c.HiddenSize % c.NumConvPosEmbeddingGroups == 0, "num_conv_pos_embedding_groups",
            $"({c.NumConvPosEmbeddingGroups}) must divide 'hidden_size' ({c.HiddenSize}).");
        Require(c.CodevectorDim > 0, "codevector_dim", "must be positive.");
        AtMost(c.CodevectorDim, CodevectorDim, "codevector_dim");
        AtMost(c.NumCodevectorGroups, CodevectorGroups, "num_codevector_groups");
        Require(c.NumCodevectorGroups > 0 && c.CodevectorDim % c.NumCodevectorGroups == 0, "num_codevector_groups",
            $"({c.NumCodevectorGroups}) must divide 'codevector_dim' ({c.CodevectorDim}).");
        Require(c.NumCodevectorsPerGroup > 0, "num_codevectors_per_group", "must be positive.");
        AtMost(c.NumCodevectorsPerGroup, CodevectorsPerGroup, "num_codevectors_per_group");
        Require(c.ProjCodevectorDim > 0, "proj_codevector_dim", "must be positive.");
        AtMost(c.ProjCodevectorDim, CodevectorDim, "proj_codevector_dim");
        Require(c.VocabSize > 0, "vocab_size", "must be positive.");
        AtMost(c.VocabSize, VocabSize, "vocab_size");
        Require(c.PadTokenId >= 0 && c.PadTokenId < c.VocabSize, "pad_token_id", $"({c.PadTokenId}) must be a token id below 'vocab_size' ({c.VocabSize}).");
        Require(c.LayerNormEps > 0 && double.IsFinite(c.LayerNormEps), "layer_norm_eps", "must be positive and finite.");
        foreach (var (name, p) in new[]
                 {
                     ("hidden_dropout", c.HiddenDropout), ("activation_dropout", c.ActivationDropout),
                     ("attention_dropout", c.AttentionDropout), ("feat_proj_dropout", c.FeatProjDropout),
                     ("feat_quantizer_dropout", c.FeatQuantizerDropout), ("final_dropout", c.FinalDropout),
                     ("layerdrop", c.LayerDrop), ("mask_time_prob", c.MaskTimeProb), ("mask_feature_prob", c.MaskFeatureProb),
                 })
            Require(p is >= 0 and <= 1, name, $"is {p}; a probability lies in [0, 1].");
        foreach (var (name, span) in new[]
                 {
                     ("mask_time_length", c.MaskTimeLength), ("mask_feature_length", c.MaskFeatureLength),
                     ("mask_time_min_masks", c.MaskTimeMinMasks), ("mask_feature_min_masks", c.MaskFeatureMinMasks),
                 })
            AtMost(span, MaskSpan, name);
        Require(c.MaskTimeLength > 0, "mask_time_length", "must be positive.");
        Require(c.MaskFeatureLength > 0, "mask_feature_length", "must be positive.");
        Require(c.MaskTimeMinMasks >= 0, "mask_time_min_masks", "must not be negative.");
        Require(c.MaskFeatureMinMasks >= 0, "mask_feature_min_masks", "must not be negative.");
        Require(c.ContrastiveLogitsTemperature > 0 && double.IsFinite(c.ContrastiveLogitsTemperature), "contrastive_logits_temperature",
            "must be positive and finite.");
        Require(c.NumNegatives > 0, "num_negatives", "must be positive.");
        AtMost(c.NumNegatives, Negatives, "num_negatives");
        Require(c.InitializerRange >= 0 && double.IsFinite(c.InitializerRange), "initializer_range", "must be finite and not negative.");
        Require(c.DiversityLossWeight >= 0 && double.IsFinite(c.DiversityLossWeight), "diversity_loss_weight", "must be finite and not negative.");
        Require(c.FeatureGradMult >= 0 && double.IsFinite(c.FeatureGradMult), "feature_grad_mult", "must be finite and not negative.");
        Require(c.CtcLossReduction is "sum" or "mean", "ctc_loss_reduction", $"is '{c.CtcLossReduction}'; use \"sum\" or \"mean\".");
        Require(!c.AddAdapter, "add_adapter", "is true; adapter layers are not supported.");
        Wav2Vec2ConfigMemory.EnsureWeightsFit(c, source, availableBytes ?? Wav2Vec2ConfigMemory.AvailableBytes());
        return c;
    }

    /// <summary>Samples per frame and samples per receptive field, in floating point so absurd sizes cannot overflow.</summary>
    static (double Stride, double Field) StrideAndField(Wav2Vec2Config c)
    {
        double stride = 1, field = 1;
        for (var i = c.ConvKernel.Length - 1; i >= 0; i--) field = (field - 1) * c.ConvStride[i] + c.ConvKernel[i];
        foreach (var s in c.ConvStride) stride *= s;
        return (stride, field);
    }
}
