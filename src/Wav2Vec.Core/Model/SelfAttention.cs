using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>How <see cref="SelfAttention.Forward"/> computes softmax(QKᵀ)V.</summary>
public enum AttentionKernel
{
    /// <summary>
    /// QKᵀ, softmax and PV as separate matrix products, the default: libtorch's bf16 GEMM ran ≈ 5× faster than its
    /// fused bf16 kernel, and in float32 the result is bit-identical to <see cref="SelfAttention.ForwardWithProbabilities"/>.
    /// </summary>
    Explicit,
    /// <summary>libtorch's fused <c>scaled_dot_product_attention</c> (no T×T matrix kept); compared by <c>wav2vec bench</c>.</summary>
    Fused,
}

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
    /// attended to. Computes in x's dtype; the softmax accumulates in float32 (libtorch's kernels do for bf16). Both
    /// kernels give the same result up to rounding.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? keyMask, AttentionKernel kernel = AttentionKernel.Explicit)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Heads(x);
        long b = x.shape[0], t = x.shape[1];
        var p = training ? dropout : 0.0;
        Tensor context;
        if (kernel == AttentionKernel.Fused)
            context = nn.functional.scaled_dot_product_attention(q, k, v, keyMask?.view(b, 1, 1, t), p);
        else
        {
            var scores = q.mul(Math.Pow(q.shape[^1], -0.5)).matmul(k.transpose(-2, -1));
            if (keyMask is not null) scores = scores.masked_fill(keyMask.logical_not().view(b, 1, 1, t), finfo(scores.dtype).min);
            context = Dropouts.Apply(scores.softmax(-1), p, training).matmul(v);
        }
        return Output(context).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Forward"/> that also returns the attention probabilities [B, heads, T_query, T_key]
    /// (float32, before attention dropout): each row sums to 1 and padded keys get weight 0.
    /// </summary>
    public (Tensor Output, Tensor Probabilities) ForwardWithProbabilities(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Heads(x);
        long b = x.shape[0], t = x.shape[1];
        var scores = q.mul(Math.Pow(q.shape[^1], -0.5)).matmul(k.transpose(-2, -1)).to(ScalarType.Float32);
        if (keyMask is not null) scores = scores.masked_fill(keyMask.logical_not().view(b, 1, 1, t), float.MinValue);
        var probabilities = scores.softmax(-1);
        var weights = Dropouts.Apply(probabilities.to(x.dtype), dropout, training);
        return (Output(weights.matmul(v)).MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>Queries, keys and values [B, heads, T, head_dim].</summary>
    (Tensor Q, Tensor K, Tensor V) Heads(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], hd = x.shape[2] / heads;
        Tensor Split(Tensor y) => y.view(b, t, heads, hd).transpose(1, 2);
        return (Split(Autocast.Linear(qProj, x)), Split(Autocast.Linear(kProj, x)), Split(Autocast.Linear(vProj, x)));
    }

    /// <summary>Context [B, heads, T, head_dim] → output projection [B, T, D].</summary>
    Tensor Output(Tensor context)
    {
        long b = context.shape[0], t = context.shape[2];
        return Autocast.Linear(outProj, context.transpose(1, 2).reshape(b, t, -1));
    }

    /// <summary>The four projections (for initialisation).</summary>
    public IEnumerable<Linear> Projections => [qProj, kProj, vProj, outProj];
}
