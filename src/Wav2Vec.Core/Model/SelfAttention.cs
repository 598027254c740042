using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Multi-head self-attention, queries scaled by head_dim^−½. Hugging Face name: <c>attention.{q,k,v,out}_proj</c>.
/// </summary>
public sealed class SelfAttention : NamedModule
{
    readonly Linear qProj, kProj, vProj, outProj;
    readonly long heads;
    readonly double dropout;

    /// <summary>hidden_size channels in num_attention_heads heads.</summary>
    public SelfAttention(Wav2Vec2Config config) : base(nameof(SelfAttention))
    {
        heads = config.NumAttentionHeads;
        dropout = config.AttentionDropout;
        long d = config.HiddenSize;
        kProj = nn.Linear(d, d);
        vProj = nn.Linear(d, d);
        qProj = nn.Linear(d, d);
        outProj = nn.Linear(d, d);
        register_module("k_proj", kProj);
        register_module("v_proj", vProj);
        register_module("q_proj", qProj);
        register_module("out_proj", outProj);
    }

    /// <summary>
    /// [B, T, D] → [B, T, D]. <paramref name="keyMask"/> [B, T] (true = real frame) keeps padded frames from being
    /// attended to; the softmax runs in float32.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        return ForwardWithProbabilities(x, keyMask).Output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Forward"/> that also returns the attention probabilities [B, heads, T_query, T_key] (float32, before
    /// attention dropout): each row sums to 1 and padded keys get weight 0.
    /// </summary>
    public (Tensor Output, Tensor Probabilities) ForwardWithProbabilities(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], d = x.shape[2], hd = d / heads;
        Tensor Split(Tensor y) => y.view(b, t, heads, hd).transpose(1, 2);
        var q = Split(qProj.forward(x) * Math.Pow(hd, -0.5));
        var k = Split(kProj.forward(x));
        var v = Split(vProj.forward(x));
        var scores = q.matmul(k.transpose(-2, -1)).to(ScalarType.Float32);
        if (keyMask is not null)
            scores = scores.masked_fill(keyMask.logical_not().view(b, 1, 1, t), float.MinValue);
        var probabilities = scores.softmax(-1);
        var weights = nn.functional.dropout(probabilities.to(x.dtype), dropout, training);
        var context = weights.matmul(v).transpose(1, 2).reshape(b, t, d);
        return (outProj.forward(context).MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>The four projections (for initialisation).</summary>
    public IEnumerable<Linear> Projections => [qProj, kProj, vProj, outProj];
}
