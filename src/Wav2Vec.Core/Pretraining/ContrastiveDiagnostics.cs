using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// What the contrastive task (paper §3.3, eq. 3) has to work with in one batch. The loss can only fall when c_t is
/// more similar to its own target than to the distractors: on the ln(K + 1) plateau the two cosines are equal; in a
/// learning run the positive pulls ahead (a gap of κ already moves the logit by 1).
/// </summary>
/// <param name="DistractorsEqual">
/// Share of distractors whose code vectors equal their positive's (their logit is −∞: they cannot be told apart and
/// do not count). Near 0 when codes are diverse. Near 1 when the quantizer has collapsed onto few codes, and then
/// the loss falls towards 0 and the accuracy rises towards 1 without anything being learnt (a frame whose
/// distractors are all blocked has loss 0 and counts as correct), so read loss and accuracy together with this.
/// </param>
/// <param name="PositiveCosine">Mean cosine similarity of c_t with its true quantized target q_t.</param>
/// <param name="DistractorCosine">Mean cosine similarity of c_t with its distractors (those not equal to the positive).</param>
/// <param name="LogitsStd">
/// Standard deviation of a frame's finite logits (positive and distractors), averaged over frames: how much the
/// softmax can discriminate at all; near 0 when c_t is equally similar to every candidate.
/// </param>
public sealed record ContrastiveDiagnostics(double DistractorsEqual, double PositiveCosine, double DistractorCosine, double LogitsStd)
{
    /// <summary>Every value NaN: a batch without masked frames.</summary>
    public static ContrastiveDiagnostics Empty { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// From the contrastive logits [N, 1 + K] of <see cref="ContrastiveLogits.Compute"/> (positive in column 0,
    /// −∞ for a distractor equal to its positive) and the κ they were divided by.
    /// </summary>
    public static ContrastiveDiagnostics From(Tensor logits, double temperature)
    {
        if (logits.dim() != 2 || logits.shape[1] < 2)
            throw new ArgumentException($"contrastive logits must be [N, 1 + K] with K ≥ 1, got [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (logits.shape[0] == 0) return Empty;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = logits.detach().to_type(ScalarType.Float64);
        var distractors = x[.., 1..];
        var blocked = distractors.isneginf();
        var open = blocked.logical_not();
        var openCount = open.sum().item<long>();
        var distractorCosine = openCount == 0
            ? double.NaN
            : distractors.masked_fill(blocked, 0).sum().item<double>() / openCount * temperature;
        var finite = x.isfinite();
        var values = x.masked_fill(finite.logical_not(), 0);
        var counts = finite.sum(1).to_type(ScalarType.Float64);
        var means = values.sum(1) / counts;
        var variances = ((values - means.unsqueeze(1)).square() * finite).sum(1) / counts;
        return new ContrastiveDiagnostics(
            blocked.to_type(ScalarType.Float64).mean().item<double>(),
            x[.., 0].mean().item<double>() * temperature,
            distractorCosine,
            variances.sqrt().mean().item<double>());
    }
}
