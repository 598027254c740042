using System.Text.Json.Serialization;
using Wav2Vec.Masking;
using Wav2Vec.Model;

namespace Wav2Vec.Experiments;

/// <summary>
/// A CTC fine-tuning experiment (paper §4.3) on a labelled split: the shared fields of <see cref="ExperimentDescription"/>
/// plus where the network comes from (exactly one of <see cref="Pretrained"/> and <see cref="Model"/>), the vocabulary,
/// masking and freezing. Its <c>best/</c> model is the checkpoint with the lowest dev <see cref="BestBy"/>.
/// </summary>
public sealed record FinetuneExperiment : ExperimentDescription
{
    /// <summary>A fine-tuning description with the fine-tuning defaults for the shared fields (labelled split, optimiser).</summary>
    public FinetuneExperiment()
    {
        Corpus = new CorpusSpec { Train = "train-10min" };
        Optimizer = new OptimizerSpec { LearningRate = 5e-5, WeightDecay = 0, Epsilon = 1e-8, WarmupRatio = 0.1, HoldRatio = 0.4, DecayRatio = 0.5 };
    }

    /// <summary>A Hugging Face directory (ours or the hub's) holding a pre-trained or CTC model; null when <see cref="Model"/> starts from scratch.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pretrained { get; init; }
    /// <summary>
    /// A network to train from scratch instead of <see cref="Pretrained"/>: a Hugging Face config or
    /// <c>{"preset": "tiny", …overrides}</c>, initialised from <see cref="ExperimentDescription.Seed"/> as pre-training
    /// does, with a head for <see cref="Vocabulary"/>. The feature encoder trains unless <see cref="FreezeFeatureEncoder"/>.
    /// A from-scratch baseline of a pre-trained run is <c>finetune with { Pretrained = null, Model = pretrain.Model }</c>.
    /// </summary>
    [JsonConverter(typeof(ModelConfigJson))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Wav2Vec2Config? Model { get; init; }
    /// <summary><c>english</c> (the 32-token letter vocabulary), a path to a <c>vocab.json</c>, or <c>corpus</c> (built from the training transcripts).</summary>
    public string Vocabulary { get; init; } = "english";
    /// <summary>Transcript normalisation: <c>en</c>, or another language whose script letters are kept.</summary>
    public string Language { get; init; } = "en";
    /// <summary>Time masking during fine-tuning (none when the model config's <c>apply_spec_augment</c> is false).</summary>
    public MaskingOptions TimeMasking { get; init; } = new(0.05, 10, MinMasks: 2);
    /// <summary>Channel masking during fine-tuning (none when the model config's <c>apply_spec_augment</c> is false).</summary>
    public MaskingOptions ChannelMasking { get; init; } = new(0.0, 64);
    /// <summary>Updates during which only <c>lm_head</c> trains.</summary>
    public int FreezeTransformerSteps { get; init; } = 100;
    /// <summary>
    /// CTC loss reduction: <c>sum</c> (fairseq; Hugging Face's default) or <c>mean</c> (each utterance's loss divided
    /// by its target length, averaged); null takes the model config's <c>ctc_loss_reduction</c>.
    /// </summary>
    public string? LossReduction { get; init; }
    /// <summary>
    /// Whether an utterance whose CTC loss is infinite (more targets than frames) contributes zero instead of making
    /// the update non-finite (and so skipped); null takes the model config's <c>ctc_zero_infinity</c>.
    /// </summary>
    public bool? ZeroInfinity { get; init; }
    /// <summary>
    /// How many of the pre-trained network's top Transformer layers start fine-tuning from fresh weights (Hugging Face's
    /// initialisation, drawn from <see cref="ExperimentDescription.Seed"/>) instead of their pre-trained ones: the
    /// question of Pasad et al. (2021), who find wav2vec 2.0's top layers specialised to the pre-training task. 0 keeps
    /// every layer; <c>num_hidden_layers</c> keeps only the CNN, the feature projection and the positional convolution.
    /// Needs <see cref="Pretrained"/>; a resumed run keeps the weights of its checkpoint.
    /// </summary>
    public int ReinitializeLayers { get; init; }
    /// <summary>
    /// How many of the pre-trained network's Transformer layers, counted from the bottom, the fine-tuned model keeps
    /// (its <c>num_hidden_layers</c>); the layers above are dropped before the first update. With
    /// <see cref="FreezeTransformerSteps"/> covering the whole run this is a layer-wise linear CTC probe: how readable
    /// letters are from the output of layer N. Null keeps every layer. Needs <see cref="Pretrained"/>;
    /// <see cref="ReinitializeLayers"/> counts among the kept layers.
    /// </summary>
    public int? KeepLayers { get; init; }
    /// <summary>Keep the CNN feature encoder frozen throughout (the paper does).</summary>
    public bool FreezeFeatureEncoder { get; init; } = true;
    /// <summary>
    /// While the feature encoder is frozen, keep its output per utterance in memory (up to 2 GiB) so later epochs
    /// skip the CNN (Tiny quickstart: 0.30 → 0.17 s per 16 s-batch update on 2 threads). Each utterance is encoded alone, without padding.
    /// </summary>
    public bool CacheFeatures { get; init; } = true;
    /// <summary>
    /// The dev metric that picks the best checkpoint, by its <see cref="MetricNames"/> name: <c>wer</c> (the paper) or
    /// <c>cer</c> (finer-grained while the model still gets most words wrong, as after minutes of training).
    /// </summary>
    public string BestBy { get; init; } = "wer";

    /// <inheritdoc />
    [JsonIgnore]
    public override string SelectionMetric => BestBy;

    /// <summary>
    /// <paramref name="config"/> as this experiment trains it: its masking, CTC reduction and zero-infinity written in
    /// (Hugging Face field names), so a saved <c>config.json</c> says how the model was fine-tuned.
    /// </summary>
    public Wav2Vec2Config Configure(Wav2Vec2Config config) => config with
    {
        MaskTimeProb = TimeMasking.Prob, MaskTimeLength = TimeMasking.Length, MaskTimeMinMasks = TimeMasking.MinMasks,
        MaskFeatureProb = ChannelMasking.Prob, MaskFeatureLength = ChannelMasking.Length, MaskFeatureMinMasks = ChannelMasking.MinMasks,
        CtcLossReduction = LossReduction ?? config.CtcLossReduction,
        CtcZeroInfinity = ZeroInfinity ?? config.CtcZeroInfinity,
        NumHiddenLayers = KeepLayers ?? config.NumHiddenLayers,
    };

    private protected override void CheckOwnFields(string source) => ExperimentValidation.Finetune(this, source);

    internal override ITrainingTask CreateTask(TaskContext context) => new FineTuningTask(this, context);
}
