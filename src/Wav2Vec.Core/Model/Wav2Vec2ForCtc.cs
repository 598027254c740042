using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Checkpoints;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>What <see cref="Wav2Vec2ForCtc"/> returns.</summary>
/// <param name="Logits">[B, T, vocab_size] unnormalised CTC scores (blank = pad_token_id).</param>
/// <param name="Base">The network's outputs (hidden states, frame mask and frame lengths for the CTC loss).</param>
public sealed record CtcOutput(Tensor Logits, Wav2Vec2Output Base);

/// <summary>
/// wav2vec 2.0 with a CTC head (paper §3.3): network → dropout(final_dropout) → <c>lm_head</c> Linear(hidden, vocab).
/// Hugging Face names: <c>wav2vec2.*</c>, <c>lm_head</c> (<c>Wav2Vec2ForCTC</c>).
/// </summary>
public sealed class Wav2Vec2ForCtc : NamedModule
{
    readonly Wav2Vec2Model wav2vec2;
    readonly Linear lmHead;

    /// <summary>A freshly initialised model for <paramref name="config"/>.</summary>
    public Wav2Vec2ForCtc(Wav2Vec2Config config) : this(new Wav2Vec2Model(config), config.VocabSize) { }

    /// <summary>
    /// A new <paramref name="vocabSize"/>-way head on an existing network (parameters shared, not copied): how a
    /// pre-trained model is fine-tuned, or a fine-tuned one moved to a new alphabet.
    /// </summary>
    public Wav2Vec2ForCtc(Wav2Vec2Model network, int vocabSize) : base(nameof(Wav2Vec2ForCtc))
    {
        wav2vec2 = network;
        Config = (network.Config with { VocabSize = vocabSize }).Validate();
        lmHead = nn.Linear(Config.HiddenSize, vocabSize);
        Wav2Vec2Initialization.Normal(lmHead, Config.InitializerRange);
        register_module("wav2vec2", wav2vec2);
        register_module("lm_head", lmHead);
    }

    /// <summary>Loads a Hugging Face directory (config.json + model.safetensors or pytorch_model.bin) in eval mode; see <see cref="Wav2Vec2Checkpoint.LoadCtc"/> for the load report.</summary>
    public static Wav2Vec2ForCtc FromPretrained(string directory) => Wav2Vec2Checkpoint.LoadCtc(directory).Model;

    /// <summary>Saves as a Hugging Face directory; sidecar files such as vocab.json are copied from <paramref name="copyFrom"/>.</summary>
    public void SavePretrained(string directory, WeightFormat format = WeightFormat.Safetensors, string? copyFrom = null) =>
        Wav2Vec2Checkpoint.Save(this, Config, directory, format, copyFrom);

    /// <summary>The configuration (vocab_size is this head's).</summary>
    public Wav2Vec2Config Config { get; }

    /// <summary>The shared network.</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>The CTC head.</summary>
    public Linear LmHead => lmHead;

    /// <summary>A model with a fresh <paramref name="vocabSize"/>-way head that shares this model's network.</summary>
    public Wav2Vec2ForCtc WithNewHead(int vocabSize) => new(wav2vec2, vocabSize);

    /// <summary>Stops training the feature encoder (the usual fine-tuning setting).</summary>
    public void FreezeFeatureEncoder() => wav2vec2.FreezeFeatureEncoder();

    /// <summary>Waveform [B, L] (+ optional attention mask [B, L] and time/channel masks) → logits [B, T, vocab].</summary>
    public CtcOutput Forward(Tensor waveform, Tensor? attentionMask = null, Tensor? timeMask = null, Tensor? channelMask = null) =>
        Head(wav2vec2.Forward(waveform, attentionMask, timeMask, channelMask));

    /// <summary>Conv features [B, T, C] (+ frame mask [B, T] and time/channel masks) → logits [B, T, vocab]; see <see cref="Wav2Vec2Model.FromConvFeatures"/>.</summary>
    public CtcOutput FromConvFeatures(Tensor convFeatures, Tensor? frameMask = null, Tensor? timeMask = null, Tensor? channelMask = null) =>
        Head(wav2vec2.FromConvFeatures(convFeatures, frameMask, timeMask, channelMask));

    CtcOutput Head(Wav2Vec2Output network)
    {
        using var scope = NewDisposeScope();
        var logits = Autocast.Linear(lmHead, Dropouts.Apply(network.LastHiddenState, Config.FinalDropout, training));
        return new CtcOutput(logits.MoveToOuterDisposeScope(), network);
    }
}
