namespace Wav2Vec.Model;

/// <summary>
/// Upper bounds on the size fields of a <see cref="Wav2Vec2Config"/>, checked before anything is allocated, so that a
/// few bytes of <c>config.json</c> (or of an experiment's <c>model</c> overrides) cannot ask for unbounded memory or
/// overflow a tensor size. Each bound lies far above every published wav2vec 2.0 / XLS-R / MMS configuration (the
/// largest, XLS-R 2B, has 48 layers, hidden 1920, FFN 7680, 16 heads, 7 conv layers of 512 channels, kernel ≤ 10,
/// positional kernel 128). Within the bounds the weights must also fit in the memory available
/// (<see cref="Wav2Vec2ConfigMemory"/>).
/// </summary>
public static class Wav2Vec2ConfigLimits
{
    /// <summary>Largest <c>config.json</c> read, in bytes (a hub config is about 2 KB).</summary>
    public const int ConfigFileBytes = 1 << 20;

    /// <summary>Entries of <c>conv_dim</c> / <c>conv_kernel</c> / <c>conv_stride</c> (feature-encoder blocks).</summary>
    public const int ConvLayers = 16;

    /// <summary>Each <c>conv_dim</c> entry (channels of a feature-encoder block).</summary>
    public const int ConvChannels = 8192;

    /// <summary>Each <c>conv_kernel</c> entry.</summary>
    public const int ConvKernel = 1024;

    /// <summary>Each <c>conv_stride</c> entry.</summary>
    public const int ConvStride = 1024;

    /// <summary>Product of <c>conv_stride</c>: samples per encoder frame (16,000 = one frame per second at 16 kHz).</summary>
    public const long TotalStride = 16_000;

    /// <summary>Receptive field of one encoder frame in samples (160,000 = 10 s at 16 kHz; BASE: 400).</summary>
    public const long ReceptiveField = 160_000;

    /// <summary><c>hidden_size</c>.</summary>
    public const int HiddenSize = 8192;

    /// <summary><c>num_hidden_layers</c>.</summary>
    public const int HiddenLayers = 256;

    /// <summary><c>num_attention_heads</c>.</summary>
    public const int AttentionHeads = 256;

    /// <summary><c>intermediate_size</c> (feed-forward width).</summary>
    public const int IntermediateSize = 65_536;

    /// <summary><c>num_conv_pos_embeddings</c> (positional conv kernel, in frames).</summary>
    public const int PositionalConvKernel = 1024;

    /// <summary><c>vocab_size</c> (CTC output tokens).</summary>
    public const int VocabSize = 65_536;

    /// <summary><c>num_codevector_groups</c> (G).</summary>
    public const int CodevectorGroups = 64;

    /// <summary><c>num_codevectors_per_group</c> (V).</summary>
    public const int CodevectorsPerGroup = 65_536;

    /// <summary><c>codevector_dim</c> and <c>proj_codevector_dim</c>.</summary>
    public const int CodevectorDim = 65_536;

    /// <summary><c>num_negatives</c> (distractors per masked frame; memory grows with frames × negatives × dim).</summary>
    public const int Negatives = 1000;

    /// <summary><c>mask_time_length</c>, <c>mask_feature_length</c>, <c>mask_time_min_masks</c>, <c>mask_feature_min_masks</c>.</summary>
    public const int MaskSpan = 10_000;
}
