using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// How often the quantizer picks each codebook entry — the counts behind the code perplexity (paper §3.2; the
/// diversity loss, eq. 4, pushes them towards uniform).
/// </summary>
public static class CodebookUsage
{
    /// <summary>Code indices [N, G] (or [..., G]) → counts [G, V]: how many frames chose entry v of group g.</summary>
    public static double[,] Counts(Tensor codeIndices, int entries)
    {
        using var scope = NewDisposeScope();
        var groups = (int)codeIndices.shape[^1];
        var flat = codeIndices.reshape(-1, groups);
        if (flat.numel() > 0 && (flat.min().item<long>() < 0 || flat.max().item<long>() >= entries))
            throw new ArgumentException($"code indices must lie in [0, {entries}); got [{flat.min().item<long>()}, {flat.max().item<long>()}].", nameof(codeIndices));
        // Entry v of group g is bin g·V + v, as in the quantizer's logits.
        var bins = (flat + arange(groups, dtype: ScalarType.Int64, device: flat.device) * entries).flatten();
        var counts = bins.bincount(null, groups * entries).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var result = new double[groups, entries];
        Buffer.BlockCopy(counts, 0, result, 0, counts.Length * sizeof(double));
        return result;
    }

    /// <summary>
    /// One group's usage per utterance: <paramref name="perUtterance"/> code indices [T_u, G] → counts
    /// [utterances, V] of group <paramref name="group"/>, normalised per row to frequencies when <paramref name="normalize"/>.
    /// </summary>
    public static double[,] PerUtterance(IReadOnlyList<Tensor> perUtterance, int group, int entries, bool normalize = true)
    {
        var result = new double[perUtterance.Count, entries];
        for (var u = 0; u < perUtterance.Count; u++)
        {
            var counts = Counts(perUtterance[u], entries);
            var total = Enumerable.Range(0, entries).Sum(v => counts[group, v]);
            for (var v = 0; v < entries; v++)
                result[u, v] = normalize && total > 0 ? counts[group, v] / total : counts[group, v];
        }
        return result;
    }
}
