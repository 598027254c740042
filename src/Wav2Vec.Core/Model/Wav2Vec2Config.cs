using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wav2Vec.Model;

/// <summary>
/// The model configuration, serialised with the Hugging Face <c>Wav2Vec2Config</c> field names so that a hub
/// <c>config.json</c> loads and saves back with the same fields and values. Fields this framework does not
/// use (<c>architectures</c>, <c>transformers_version</c>, <c>tdnn_dim</c>, …) are kept in <see cref="Extra"/>.
/// Defaults are Hugging Face's, i.e. wav2vec 2.0 BASE. Build variations with <c>with</c>; check with <see cref="Validate"/>.
/// </summary>
public sealed record Wav2Vec2Config
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "wav2vec2";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 32;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("hidden_dropout")] public double HiddenDropout { get; init; } = 0.1;
    [JsonPropertyName("activation_dropout")] public double ActivationDropout { get; init; } = 0.1;
    [JsonPropertyName("attention_dropout")] public double AttentionDropout { get; init; } = 0.1;
    [JsonPropertyName("feat_proj_dropout")] public double FeatProjDropout { get; init; } = 0.0;
    [JsonPropertyName("feat_quantizer_dropout")] public double FeatQuantizerDropout { get; init; } = 0.0;
    [JsonPropertyName("final_dropout")] public double FinalDropout { get; init; } = 0.1;
    [JsonPropertyName("layerdrop")] public double LayerDrop { get; init; } = 0.1;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;
    [JsonPropertyName("feat_extract_norm")] public string FeatExtractNorm { get; init; } = "group";
    [JsonPropertyName("feat_extract_activation")] public string FeatExtractActivation { get; init; } = "gelu";
    [JsonPropertyName("conv_dim")] public ImmutableArray<int> ConvDim { get; init; } = [512, 512, 512, 512, 512, 512, 512];
    [JsonPropertyName("conv_stride")] public ImmutableArray<int> ConvStride { get; init; } = [5, 2, 2, 2, 2, 2, 2];
    [JsonPropertyName("conv_kernel")] public ImmutableArray<int> ConvKernel { get; init; } = [10, 3, 3, 3, 3, 2, 2];
    [JsonPropertyName("conv_bias")] public bool ConvBias { get; init; }
    [JsonPropertyName("num_conv_pos_embeddings")] public int NumConvPosEmbeddings { get; init; } = 128;
    [JsonPropertyName("num_conv_pos_embedding_groups")] public int NumConvPosEmbeddingGroups { get; init; } = 16;
    [JsonPropertyName("do_stable_layer_norm")] public bool DoStableLayerNorm { get; init; }
    [JsonPropertyName("apply_spec_augment")] public bool ApplySpecAugment { get; init; } = true;
    [JsonPropertyName("mask_time_prob")] public double MaskTimeProb { get; init; } = 0.05;
    [JsonPropertyName("mask_time_length")] public int MaskTimeLength { get; init; } = 10;
    [JsonPropertyName("mask_time_min_masks")] public int MaskTimeMinMasks { get; init; } = 2;
    [JsonPropertyName("mask_feature_prob")] public double MaskFeatureProb { get; init; } = 0.0;
    [JsonPropertyName("mask_feature_length")] public int MaskFeatureLength { get; init; } = 10;
    [JsonPropertyName("mask_feature_min_masks")] public int MaskFeatureMinMasks { get; init; }
    [JsonPropertyName("num_codevectors_per_group")] public int NumCodevectorsPerGroup { get; init; } = 320;
    [JsonPropertyName("num_codevector_groups")] public int NumCodevectorGroups { get; init; } = 2;
    [JsonPropertyName("contrastive_logits_temperature")] public double ContrastiveLogitsTemperature { get; init; } = 0.1;
    [JsonPropertyName("num_negatives")] public int NumNegatives { get; init; } = 100;
    [JsonPropertyName("codevector_dim")] public int CodevectorDim { get; init; } = 256;
    [JsonPropertyName("proj_codevector_dim")] public int ProjCodevectorDim { get; init; } = 256;
    [JsonPropertyName("diversity_loss_weight")] public double DiversityLossWeight { get; init; } = 0.1;
    [JsonPropertyName("ctc_loss_reduction")] public string CtcLossReduction { get; init; } = "sum";
    [JsonPropertyName("ctc_zero_infinity")] public bool CtcZeroInfinity { get; init; }
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>
    /// fairseq's gradient scale on the feature-encoder output (0.1 for BASE pre-training); Hugging Face configs
    /// usually lack it, then it is 1 (no scaling).
    /// </summary>
    [JsonPropertyName("feature_grad_mult")] public double FeatureGradMult { get; init; } = 1.0;

    [JsonPropertyName("add_adapter")] public bool AddAdapter { get; init; }
    [JsonPropertyName("use_weighted_layer_sum")] public bool UseWeightedLayerSum { get; init; }

    /// <summary>Every other field of the JSON, kept verbatim so a saved config carries it unchanged.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; init; } = [];

    /// <summary>Number of feature-encoder conv blocks.</summary>
    [JsonIgnore] public int NumFeatExtractLayers => ConvDim.Length;

    /// <summary>Channels of the feature-encoder output (= width of <c>extract_features</c>).</summary>
    [JsonIgnore] public int ConvOutputDim => ConvDim[^1];

    /// <summary>True for layer-norm feature encoders, the only kind for which padded batches give unpadded results.</summary>
    [JsonIgnore] public bool UsesLayerNormEncoder => FeatExtractNorm == "layer";

    /// <summary>Hugging Face creates <c>masked_spec_embed</c> only when some masking is configured.</summary>
    [JsonIgnore] public bool HasMaskedSpecEmbed => MaskTimeProb > 0 || MaskFeatureProb > 0;

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Parses a config from JSON text; <paramref name="source"/> names the file in errors.</summary>
    public static Wav2Vec2Config FromJson(string json, string source = "config.json")
    {
        Wav2Vec2Config? config;
        try
        {
            config = JsonSerializer.Deserialize<Wav2Vec2Config>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid wav2vec2 config ({e.Message})", e);
        }
        return (config ?? throw new InvalidDataException($"{source}: the JSON is null, not a config object."))
            .Validate(source);
    }

    /// <summary>
    /// Reads and validates <c>config.json</c> at <paramref name="path"/>; a file over
    /// <see cref="Wav2Vec2ConfigLimits.ConfigFileBytes"/> is refused before it is read.
    /// </summary>
    public static Wav2Vec2Config Load(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > Wav2Vec2ConfigLimits.ConfigFileBytes)
            throw new InvalidDataException($"{path}: {length} bytes is not a model config (the limit is {Wav2Vec2ConfigLimits.ConfigFileBytes} bytes).");
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>The Hugging Face JSON for this config, unknown fields included.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    /// <summary>Configs are equal when their JSON is: the arrays and unknown fields compare by value.</summary>
    public bool Equals(Wav2Vec2Config? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    /// <summary>
    /// Returns this config, or throws <see cref="ArgumentException"/> naming the field at fault: a value out of range
    /// (sizes above <see cref="Wav2Vec2ConfigLimits"/>, <c>model_type</c> other than <c>wav2vec2</c>, …), or a model
    /// whose weights would not fit in <paramref name="availableBytes"/> (default: what this machine has available now,
    /// <see cref="Wav2Vec2ConfigMemory.AvailableBytes"/>). Nothing is allocated before the check.
    /// </summary>
    public Wav2Vec2Config Validate(string source = "config", long? availableBytes = null) =>
        Wav2Vec2ConfigValidation.Check(this, source, availableBytes);

    /// <summary>
    /// Every field name a Hugging Face <c>Wav2Vec2Config</c> may carry: the ones this record reads, and those of
    /// transformers' Wav2Vec2Config and PretrainedConfig that it keeps in <see cref="Extra"/> without using. An
    /// experiment's <c>model</c> may only name these, so a misspelt field is an error instead of a silent default.
    /// </summary>
    public static IReadOnlySet<string> KnownFields { get; } = typeof(Wav2Vec2Config).GetProperties()
        .Select(p => p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).OfType<JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
        .OfType<string>()
        .Concat([
            "_name_or_path", "architectures", "transformers_version", "torch_dtype", "bos_token_id", "eos_token_id",
            "num_feat_extract_layers", "feat_extract_dropout", "hidden_dropout_prob", "gradient_checkpointing",
            "adapter_kernel_size", "adapter_stride", "num_adapter_layers", "output_hidden_size", "adapter_attn_dim",
            "classifier_proj_size", "tdnn_dim", "tdnn_kernel", "tdnn_dilation", "xvector_output_dim",
            "id2label", "label2id", "problem_type", "tokenizer_class",
        ])
        .ToHashSet(StringComparer.Ordinal);
}
