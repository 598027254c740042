using TorchSharp.Modules;
using Wav2Vec.Pretraining;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// BEST-RQ's tensors beside the network, under the state-dict prefix <c>best_rq.</c>: the trained prediction head
/// <c>head</c> (hidden → codebook size) and the frozen buffers <c>projection</c> [C, d] and <c>codebook</c> [V, d],
/// saved so that a checkpoint carries its own targets (they are also re-derivable from the objective's seed).
/// </summary>
public sealed class BestRqHead : NamedModule
{
    readonly Linear head;

    /// <summary>A fresh head for <paramref name="config"/>'s hidden size and the frozen quantizer drawn from <paramref name="objective"/>'s seed.</summary>
    public BestRqHead(Wav2Vec2Config config, PretrainObjectiveSpec objective) : base(nameof(BestRqHead))
    {
        head = nn.Linear(config.HiddenSize, objective.CodebookSize);
        var (projection, codebook) = RandomProjectionQuantizer.Draw(config.ConvDim[^1], objective.CodebookDim, objective.CodebookSize, objective.Seed);
        register_module("head", head);
        register_buffer("projection", projection);
        register_buffer("codebook", codebook);
    }

    /// <summary>Hidden states [B, T, D] → logits [B, T, V].</summary>
    public Tensor Logits(Tensor hidden) => head.forward(hidden);

    /// <summary>The frozen projection [C, d].</summary>
    public Tensor Projection => get_buffer("projection")!;

    /// <summary>The frozen l2-normalised codebook [V, d].</summary>
    public Tensor Codebook => get_buffer("codebook")!;
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

    /// <summary>A freshly initialised network and head.</summary>
    public Wav2Vec2ForBestRq(Wav2Vec2Config config, PretrainObjectiveSpec objective) : base(nameof(Wav2Vec2ForBestRq))
    {
        wav2vec2 = new Wav2Vec2Model(config);
        bestRq = new BestRqHead(config, objective);
        register_module("wav2vec2", wav2vec2);
        register_module(Prefix.TrimEnd('.'), bestRq);
    }

    /// <summary>The configuration of the network.</summary>
    public Wav2Vec2Config Config => wav2vec2.Config;

    /// <summary>The shared network (what fine-tuning keeps).</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>The prediction head and the frozen quantizer.</summary>
    public BestRqHead BestRq => bestRq;
}
