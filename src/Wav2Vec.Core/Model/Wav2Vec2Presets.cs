namespace Wav2Vec.Model;

/// <summary>
/// Model sizes as small factory functions (as torchaudio's <c>wav2vec2_base()</c>), not a configuration framework.
/// Start from one and vary it with <c>with { … }</c>.
/// </summary>
public static class Wav2Vec2Presets
{
    /// <summary>wav2vec 2.0 BASE = Hugging Face defaults: 7×512 conv, 768 hidden, 12 layers (≈94.4 M with a 32-token CTC head).</summary>
    public static Wav2Vec2Config Base(int vocabSize = 32) => new() { VocabSize = vocabSize };

    /// <summary>wav2vec 2.0 LARGE (LibriSpeech): group-norm encoder, post-LN, 1024 hidden, 24 layers, 16 heads.</summary>
    public static Wav2Vec2Config Large(int vocabSize = 32) => new()
    {
        VocabSize = vocabSize, HiddenSize = 1024, NumHiddenLayers = 24, NumAttentionHeads = 16, IntermediateSize = 4096,
        CodevectorDim = 768, ProjCodevectorDim = 768,
    };

    /// <summary>wav2vec 2.0 LARGE (Libri-Light 60k h): layer-norm conv blocks with bias, pre-LN ("stable layer norm") Transformer.</summary>
    public static Wav2Vec2Config LargeLv60(int vocabSize = 32) => Large(vocabSize) with
    {
        FeatExtractNorm = "layer", ConvBias = true, DoStableLayerNorm = true,
    };

    /// <summary>
    /// ≈1.8 M parameters for CPU quick starts and tests: 7×128 conv, 192 hidden, 3 layers, 2×64 codes.
    /// Same conv strides as BASE, so still 20 ms frames.
    /// </summary>
    public static Wav2Vec2Config Tiny(int vocabSize = 32) => new()
    {
        VocabSize = vocabSize,
        ConvDim = [128, 128, 128, 128, 128, 128, 128],
        HiddenSize = 192, NumHiddenLayers = 3, NumAttentionHeads = 4, IntermediateSize = 768,
        NumConvPosEmbeddings = 64, NumConvPosEmbeddingGroups = 16,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 64, CodevectorDim = 128, ProjCodevectorDim = 128,
        HiddenDropout = 0.0, ActivationDropout = 0.0, AttentionDropout = 0.0, LayerDrop = 0.0, FinalDropout = 0.0,
        MaskTimeProb = 0.65, NumNegatives = 50, FeatureGradMult = 0.1,
    };

    /// <summary>≈13 M parameters for ablation studies: 7×256 conv, 384 hidden, 6 layers, 2×160 codes.</summary>
    public static Wav2Vec2Config Small(int vocabSize = 32) => new()
    {
        VocabSize = vocabSize,
        ConvDim = [256, 256, 256, 256, 256, 256, 256],
        HiddenSize = 384, NumHiddenLayers = 6, NumAttentionHeads = 6, IntermediateSize = 1536,
        NumCodevectorGroups = 2, NumCodevectorsPerGroup = 160, CodevectorDim = 256, ProjCodevectorDim = 256,
        LayerDrop = 0.05, MaskTimeProb = 0.65, FeatureGradMult = 0.1,
    };
}
