namespace Wav2Vec.Pretraining;

/// <summary>
/// Which self-supervised objective a pre-training run optimises (the description's <c>objective</c> field):
/// <c>"wav2vec2"</c>, the contrastive task of Baevski et al. (2020) with its learned quantizer, or <c>"best-rq"</c>,
/// the random-projection quantizer of Chiu et al. (2022): a frozen random projection and a frozen random codebook turn
/// the unmasked input's features into code indices, and the network predicts them at masked frames with cross-entropy.
/// </summary>
/// <param name="Kind"><c>"wav2vec2"</c> or <c>"best-rq"</c>; only BEST-RQ reads the other fields.</param>
/// <param name="CodebookSize">Entries of the random codebook (the classes of the prediction head; 8192 in the paper).</param>
/// <param name="CodebookDim">Dimension the features are projected to before the nearest-neighbour lookup (16 in the paper).</param>
/// <param name="Features">
/// What is quantised: <c>"cnn"</c>, the feature encoder's output (the input of the feature projection, one vector per
/// 20 ms frame) of the unmasked audio, detached and normalised per utterance over time.
/// </param>
/// <param name="Seed">Draws the projection and the codebook (independent of the run's seed, so a resume or a rerun gets the same targets).</param>
public sealed record PretrainObjectiveSpec(string Kind = PretrainObjectiveSpec.Wav2Vec2, int CodebookSize = 1024, int CodebookDim = 16,
    string Features = "cnn", long Seed = 0)
{
    /// <summary>The contrastive objective of wav2vec 2.0.</summary>
    public const string Wav2Vec2 = "wav2vec2";
    /// <summary>The random-projection quantizer objective.</summary>
    public const string BestRq = "best-rq";

    /// <summary>The default: wav2vec 2.0's contrastive objective.</summary>
    public static PretrainObjectiveSpec Default { get; } = new();

    /// <summary>True for the BEST-RQ objective.</summary>
    public bool IsBestRq => Kind == BestRq;
}
