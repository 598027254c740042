using TorchSharp.Modules;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// BEST-RQ's tensors beside the network, under the state-dict prefix <c>best_rq.</c>: the trained prediction head
/// <c>head</c> (hidden → codebook size), the frozen buffers <c>projection</c> [F, d] and <c>codebook</c> [V, d], saved so
/// that a checkpoint carries its own targets (they are also re-derivable from the objective's seed), and with
/// <c>cnn-frozen</c> features the frozen feature encoder <c>frozen_feature_extractor</c>, which is not re-derivable (it
/// copies the weights the run started from, random or <c>initFrom</c>'s) and so must be saved.
/// </summary>
public sealed class BestRqHead : NamedModule
{
    /// <summary>The state-dict name of the frozen feature encoder (under <c>best_rq.</c>).</summary>
    public const string FrozenEncoderName = "frozen_feature_extractor";

    readonly Linear head;
    readonly FeatureEncoder? frozenEncoder;

    /// <summary>
    /// A fresh head for <paramref name="config"/>'s hidden size, the frozen quantizer drawn from
    /// <paramref name="objective"/>'s seed for its features' width F (the encoder's last conv_dim, or 80 mel bins × the
    /// stack), and for <c>cnn-frozen</c> a feature encoder without gradients (filled by <see cref="Wav2Vec2ForBestRq"/>).
    /// </summary>
    public BestRqHead(Wav2Vec2Config config, PretrainObjectiveSpec objective) : base(nameof(BestRqHead))
    {
        Features = objective.Features;
        if (Features == PretrainObjectiveSpec.LogMelFeatures && !LogMel.Fits(config))
            throw new ArgumentException($"log-mel targets stack 10 ms frames, but the model's frames are {LogMel.ModelHop(config)} samples apart.", nameof(config));
        head = nn.Linear(config.HiddenSize, objective.CodebookSize);
        var featureDim = Features == PretrainObjectiveSpec.LogMelFeatures ? LogMel.Bins * LogMel.Stack(config) : config.ConvDim[^1];
        var (projection, codebook) = objective.LearnsCodebook
            ? (eye(featureDim), zeros(objective.CodebookSize, featureDim))
            : RandomProjectionQuantizer.Draw(featureDim, objective.CodebookDim, objective.CodebookSize, objective.Seed);
        register_module("head", head);
        register_buffer("projection", projection);
        register_buffer("codebook", codebook);
        if (Features != PretrainObjectiveSpec.CnnFrozen) return;
        frozenEncoder = new FeatureEncoder(config);
        foreach (var p in frozenEncoder.parameters()) p.requires_grad = false;
        register_module(FrozenEncoderName, frozenEncoder);
    }

    /// <summary>What the targets are computed from: <c>"cnn"</c>, <c>"cnn-frozen"</c> or <c>"logmel"</c>.</summary>
    public string Features { get; }

    /// <summary>Hidden states [B, T, D] → logits [B, T, V].</summary>
    public Tensor Logits(Tensor hidden) => head.forward(hidden);

    /// <summary>The frozen projection [F, d].</summary>
    public Tensor Projection => get_buffer("projection")!;

    /// <summary>
    /// The frozen l2-normalised codebook [V, d]; with a k-means codebook d is the features' width, the projection the
    /// identity, and the rows are zero until <see cref="Wav2Vec2ForBestRq.FitCodebook"/> (or a checkpoint) fills them.
    /// </summary>
    public Tensor Codebook => get_buffer("codebook")!;

    /// <summary>The frozen copy of the feature encoder (<c>cnn-frozen</c> features only, otherwise null).</summary>
    public FeatureEncoder? FrozenEncoder => frozenEncoder;
}

/// <summary>
/// wav2vec 2.0's network pre-trained with BEST-RQ: <c>wav2vec2.*</c> (what fine-tuning keeps, Hugging Face names) and
/// <see cref="BestRqHead"/> under <c>best_rq.*</c>, which a CTC or <c>Wav2Vec2ForPreTraining</c> load lists as ignored.
/// </summary>
public sealed class Wav2Vec2ForBestRq : NamedModule
{
    /// <summary>The state-dict prefix of the BEST-RQ tensors.</summary>
    public const string Prefix = "best_rq.";

    readonly Wav2Vec2Model wav2vec2;
    readonly BestRqHead bestRq;

    /// <summary>A freshly initialised network and head; with <c>cnn-frozen</c> features the frozen encoder copies the fresh one.</summary>
    public Wav2Vec2ForBestRq(Wav2Vec2Config config, PretrainObjectiveSpec objective) : base(nameof(Wav2Vec2ForBestRq))
    {
        wav2vec2 = new Wav2Vec2Model(config);
        bestRq = new BestRqHead(config, objective);
        register_module("wav2vec2", wav2vec2);
        register_module(Prefix.TrimEnd('.'), bestRq);
        FreezeTargetEncoder();
    }

    /// <summary>The configuration of the network.</summary>
    public Wav2Vec2Config Config => wav2vec2.Config;

    /// <summary>The shared network (what fine-tuning keeps).</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>The prediction head and the frozen quantizer.</summary>
    public BestRqHead BestRq => bestRq;

    /// <summary>
    /// With <c>cnn-frozen</c> features, copies the network's feature encoder as it is now into the frozen one (a run
    /// calls it once, after <c>initFrom</c>'s weights are loaded; a resume reads the saved copy instead); otherwise nothing.
    /// </summary>
    public void FreezeTargetEncoder()
    {
        if (bestRq.FrozenEncoder is not { } frozen) return;
        using var _ = no_grad();
        var source = wav2vec2.FeatureEncoder.state_dict();
        foreach (var (name, tensor) in frozen.state_dict()) tensor.copy_(source[name]);
    }

    /// <summary>
    /// BEST-RQ's targets [B, T] (int64, no gradient) for <paramref name="output"/>, the network's output for
    /// <paramref name="audio"/> [B, L] (<paramref name="sampleLengths"/> the real samples per row, null: none padded):
    /// the codes of <c>output.ConvFeatures</c> (<c>cnn</c>), of the frozen encoder's output for the same audio
    /// (<c>cnn-frozen</c>) or of the stacked log-mel features (<c>logmel</c>), each normalised per utterance over its
    /// real frames. The feature encoder sees the audio before masking, so the targets are those of the unmasked input.
    /// </summary>
    public Tensor Targets(Tensor audio, long[]? sampleLengths, Wav2Vec2Output output)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var features = NormalisedFeatures(audio, sampleLengths, output.LastHiddenState.shape[1], output.FrameMask, () => output.ConvFeatures);
        return RandomProjectionQuantizer.Codes(features, bestRq.Projection, bestRq.Codebook).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The features the targets quantise, float32 [B, <paramref name="frames"/>, F], each row normalised over its real
    /// frames (<paramref name="frameMask"/>, null: all real): the stacked log-mel features of <paramref name="audio"/>
    /// (<c>logmel</c>), the frozen encoder's output for it (<c>cnn-frozen</c>), or <paramref name="cnn"/>'s, the training
    /// encoder's (<c>cnn</c>).
    /// </summary>
    Tensor NormalisedFeatures(Tensor audio, long[]? sampleLengths, long frames, Tensor? frameMask, Func<Tensor> cnn) =>
        bestRq.Features switch
        {
            PretrainObjectiveSpec.LogMelFeatures => LogMel.Stacked(audio, sampleLengths, frames, LogMel.Stack(Config)),
            PretrainObjectiveSpec.CnnFrozen => RandomProjectionQuantizer.Normalize(FrozenFeatures(audio), frameMask),
            _ => RandomProjectionQuantizer.Normalize(cnn(), frameMask),
        };

    /// <summary>
    /// Fits the k-means codebook (<see cref="PretrainObjectiveSpec.LearnsCodebook"/>) to the target features of
    /// <paramref name="utterances"/> (each a whole waveform, 16 kHz), each normalised over its own frames as
    /// <see cref="Targets"/> normalises them, and freezes it in the head's <c>codebook</c> buffer (the returned
    /// <see cref="KMeansCodebook.Fit.Codebook"/> is that buffer).
    /// </summary>
    public KMeansCodebook.Fit FitCodebook(IEnumerable<float[]> utterances, PretrainObjectiveSpec objective)
    {
        if (!objective.LearnsCodebook) throw new InvalidOperationException("the objective's codebook is random, not fitted by k-means.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = bestRq.Codebook.device;
        var frames = new List<Tensor>();
        foreach (var samples in utterances)
        {
            var count = FrameLengths.Compute(samples.Length, Config);
            if (count < 1) continue;
            using var inner = NewDisposeScope();
            var audio = tensor(samples, [1, samples.Length]).to(device);
            var features = NormalisedFeatures(audio, null, count, null,
                () => wav2vec2.FeatureEncoder.Forward(audio.to(wav2vec2.ComputeType ?? wav2vec2.ParameterType)));
            frames.Add(features.squeeze(0).to(float32).cpu().MoveToOuterDisposeScope());
        }
        if (frames.Count == 0) throw new ArgumentException("no audio to fit the k-means codebook to.", nameof(utterances));
        var fit = KMeansCodebook.Learn(cat(frames, 0), objective.CodebookSize, objective.Seed);
        bestRq.Codebook.copy_(fit.Codebook);
        return fit with { Codebook = bestRq.Codebook };
    }

    /// <summary>The frozen encoder's output [B, T, C] for <paramref name="audio"/>, computed in its own (float32) weights' dtype.</summary>
    Tensor FrozenFeatures(Tensor audio)
    {
        var frozen = bestRq.FrozenEncoder!;
        return frozen.Forward(audio.to(frozen.parameters().First().dtype));
    }
}
