using System.Text.Json.Serialization;

namespace Wav2Vec.Pretraining;

/// <summary>
/// Which self-supervised objective a pre-training run optimises (the description's <c>objective</c> field):
/// <c>"wav2vec2"</c>, the contrastive task of Baevski et al. (2020) with its learned quantizer, or <c>"best-rq"</c>,
/// the random-projection quantizer of Chiu et al. (2022): a frozen random projection and a frozen random codebook turn
/// the unmasked input's features into code indices, and the network predicts them at masked frames with cross-entropy.
/// </summary>
/// <param name="Kind"><c>"wav2vec2"</c> or <c>"best-rq"</c>.</param>
/// <param name="CodebookSize">BEST-RQ: entries of the random codebook (the classes of the prediction head; 8192 in the paper).</param>
/// <param name="CodebookDim">BEST-RQ: dimension the features are projected to before the nearest-neighbour lookup (16 in the paper).</param>
/// <param name="Features">
/// BEST-RQ: what is quantised, always of the unmasked audio and normalised per utterance over time:
/// <c>"cnn"</c>, the training feature encoder's output (the input of the feature projection, one vector per 20 ms
/// frame), detached, so the targets drift as the encoder trains; <c>"cnn-frozen"</c>, the output of a frozen copy of
/// the feature encoder as the run started (saved under <c>best_rq.frozen_feature_extractor.*</c>); <c>"logmel"</c>,
/// the paper's input, 80 log-mel bins every 10 ms stacked to one vector per model frame (<see cref="LogMel"/>).
/// </param>
/// <param name="Seed">BEST-RQ: draws the projection and the codebook (independent of the run's seed, so a resume or a rerun gets the same targets).</param>
/// <param name="Targets">
/// wav2vec 2.0: <c>"quantized"</c> (the paper's objective) or <c>"continuous"</c>, fairseq's <c>quantize_targets=False</c>
/// (paper Table 5, "continuous input, continuous targets", 8.58 against 7.97 WER): the targets are the unmasked
/// LayerNorm'd feature-encoder output, linearly projected (<c>project_features</c>); no quantizer, no diversity term.
/// </param>
/// <param name="GumbelNoise">
/// wav2vec 2.0 with quantized targets: false trains the quantizer without Gumbel noise (paper Table 5, "no Gumbel
/// noise", 8.73 WER): hard codes are the argmax of its logits, the gradient that of softmax(logits/τ).
/// </param>
/// <param name="Codebook">
/// BEST-RQ: <c>"random"</c>, the paper's frozen random projection and codebook; or <c>"kmeans"</c>, HuBERT's kind of
/// target (Hsu et al. 2021): no projection (<c>codebookDim</c> is ignored) and <c>codebookSize</c> centroids fitted
/// by spherical k-means (<see cref="KMeansCodebook"/>) to the normalised features of <c>codebookUtterances</c>
/// utterances of the training pool when the run starts (or when <c>initFrom</c>'s encoder has been loaded, which with
/// <c>cnn-frozen</c> features is HuBERT's second iteration: clusters of a pre-trained model's features), then frozen
/// and saved with the checkpoint.
/// </param>
/// <param name="CodebookUtterances">BEST-RQ with a k-means codebook: training utterances (a seeded choice) whose frames the centroids are fitted to.</param>
public sealed record PretrainObjectiveSpec(string Kind = PretrainObjectiveSpec.Wav2Vec2, int CodebookSize = 1024, int CodebookDim = 16,
    string Features = PretrainObjectiveSpec.Cnn, long Seed = 0, string Targets = PretrainObjectiveSpec.Quantized, bool GumbelNoise = true,
    string Codebook = PretrainObjectiveSpec.RandomCodebook, int CodebookUtterances = 400)
{
    /// <summary>BEST-RQ codebook: frozen random projection and codebook (default).</summary>
    public const string RandomCodebook = "random";
    /// <summary>BEST-RQ codebook: spherical k-means centroids of the training pool's features, no projection.</summary>
    public const string KMeansCodebook = "kmeans";

    /// <summary>The contrastive objective of wav2vec 2.0.</summary>
    public const string Wav2Vec2 = "wav2vec2";
    /// <summary>The random-projection quantizer objective.</summary>
    public const string BestRq = "best-rq";
    /// <summary>BEST-RQ features: the training feature encoder's output (default).</summary>
    public const string Cnn = "cnn";
    /// <summary>BEST-RQ features: the output of a frozen copy of the feature encoder as the run started.</summary>
    public const string CnnFrozen = "cnn-frozen";
    /// <summary>BEST-RQ features: stacked log-mel filterbank features of the waveform (the paper's).</summary>
    public const string LogMelFeatures = "logmel";
    /// <summary>wav2vec 2.0's targets: the quantized latents (default).</summary>
    public const string Quantized = "quantized";
    /// <summary>wav2vec 2.0's targets: the projected feature-encoder output, without a quantizer.</summary>
    public const string Continuous = "continuous";

    /// <summary>The default: wav2vec 2.0's contrastive objective.</summary>
    public static PretrainObjectiveSpec Default { get; } = new();

    /// <summary>True for the BEST-RQ objective with a codebook fitted by k-means.</summary>
    [JsonIgnore]
    public bool LearnsCodebook => IsBestRq && Codebook == KMeansCodebook;

    /// <summary>True for the BEST-RQ objective.</summary>
    public bool IsBestRq => Kind == BestRq;

    /// <summary>True for wav2vec 2.0's objective with continuous targets.</summary>
    [JsonIgnore]
    public bool ContinuousTargets => !IsBestRq && Targets == Continuous;
}
