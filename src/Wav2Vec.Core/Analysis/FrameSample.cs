using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>
/// Frames drawn from several utterances for one picture: their positions in the utterances' frames laid end to end,
/// and each one's label.
/// </summary>
/// <param name="Indices">Ascending positions in the concatenation of every utterance's frames.</param>
/// <param name="Labels">The label of each drawn frame.</param>
/// <param name="KeptLabels">The labels that were eligible (most frequent first).</param>
/// <param name="Eligible">How many frames carried an eligible label before sampling.</param>
public sealed record FrameSample(long[] Indices, IReadOnlyList<string> Labels, IReadOnlyList<string> KeptLabels, int Eligible)
{
    /// <summary>
    /// Draws at most <paramref name="maxFrames"/> frames, uniformly with a seeded generator, among the frames whose
    /// label is one of the <paramref name="topLabels"/> most frequent (ties by ordinal order); unlabelled (null)
    /// frames never count.
    /// </summary>
    /// <param name="labelsPerUtterance">Per utterance, a label (or null) per frame.</param>
    /// <param name="topLabels">How many of the most frequent labels are eligible.</param>
    /// <param name="maxFrames">Upper bound on the frames drawn.</param>
    /// <param name="seed">Seed of the draw: equal seeds draw equal frames.</param>
    public static FrameSample Draw(IEnumerable<IReadOnlyList<string?>> labelsPerUtterance, int topLabels, int maxFrames, int seed)
    {
        var all = labelsPerUtterance.SelectMany(l => l).ToList();
        var kept = all.OfType<string>().GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(topLabels).Select(g => g.Key).ToList();
        var keptSet = kept.ToHashSet();
        var eligible = Enumerable.Range(0, all.Count).Where(i => all[i] is { } l && keptSet.Contains(l)).ToList();
        var random = new Random(seed);
        var drawn = eligible.OrderBy(_ => random.Next()).Take(maxFrames).Order().ToList();
        return new FrameSample([.. drawn.Select(i => (long)i)], [.. drawn.Select(i => all[i]!)], kept, eligible.Count);
    }

    /// <summary>Per-utterance frames [T_u, D] (in the order given to <see cref="Draw"/>) → the drawn rows [N, D].</summary>
    public Tensor Gather(IEnumerable<Tensor> perUtterance)
    {
        using var scope = NewDisposeScope();
        var frames = cat(perUtterance.ToList(), 0);
        if (Indices.Length > 0 && Indices[^1] >= frames.shape[0])
            throw new ArgumentException($"the sample reaches frame {Indices[^1]} but the utterances have {frames.shape[0]} frames in all.", nameof(perUtterance));
        return frames.index_select(0, tensor(Indices, device: frames.device)).MoveToOuterDisposeScope();
    }
}
