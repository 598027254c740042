using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Masking;

/// <summary>
/// Span masking with the semantics of fairseq's <c>compute_mask_indices</c> (paper §3.1 / §4.2), as pure functions
/// of the valid lengths, the options and a seed. For an utterance with L valid positions:
/// <list type="number">
/// <item>n = max(MinMasks, ⌊p·L/M + u⌋) with u ~ U[0,1) drawn per utterance (probabilistic rounding), capped at
/// L − M + 1 so that every span lies wholly inside the valid positions (an utterance shorter than M gets none);</item>
/// <item>n distinct start positions are drawn uniformly without replacement from 0 … L − M;</item>
/// <item>each start masks M consecutive positions; spans may overlap;</item>
/// <item>with <see cref="MaskingOptions.RequireSameMasks"/>, every utterance keeps a random subset of its masked
/// positions of the size of the smallest count in the batch.</item>
/// </list>
/// Prob = 0 masks nothing, whatever MinMasks says (as Hugging Face skips masking when the probability is 0).
/// Padded positions (index ≥ L) are never masked.
/// </summary>
public static class SpanMasking
{
    /// <summary>
    /// Number of spans for an utterance of <paramref name="validLength"/> positions given the uniform draw
    /// <paramref name="uniform"/> ∈ [0, 1): min(max(MinMasks, ⌊p·L/M + u⌋), max(L − M + 1, 0)), or 0 when p = 0.
    /// </summary>
    public static int SpanCount(int validLength, MaskingOptions options, double uniform)
    {
        if (options.Prob == 0 || validLength <= 0) return 0;
        var drawn = (int)Math.Floor(options.Prob * validLength / options.Length + uniform);
        var capacity = Math.Max(validLength - options.Length + 1, 0);
        return Math.Min(Math.Max(options.MinMasks, drawn), capacity);
    }

    /// <summary>
    /// Sorted span start positions per utterance ([batch][spans]) for the given valid lengths, drawn from
    /// <paramref name="random"/>; the <c>u</c> of <see cref="SpanCount"/> is the first draw of each utterance.
    /// </summary>
    public static int[][] SampleSpanStarts(IReadOnlyList<int> validLengths, MaskingOptions options, Random random)
    {
        options.Validate();
        var starts = new int[validLengths.Count][];
        for (int b = 0; b < validLengths.Count; b++)
        {
            var length = validLengths[b];
            if (length < 0)
                throw new ArgumentException($"Utterance {b} has a negative valid length ({length}).", nameof(validLengths));
            var count = SpanCount(length, options, random.NextDouble());
            starts[b] = SampleWithoutReplacement(length - options.Length + 1, count, random);
            Array.Sort(starts[b]);
        }
        return starts;
    }

    /// <summary>
    /// The span mask as bool[batch][<paramref name="frames"/>] (true = masked) for utterances whose first
    /// <paramref name="validLengths"/>[b] positions are real and the rest padding. Same inputs and seed → same mask.
    /// </summary>
    public static bool[][] Compute(IReadOnlyList<int> validLengths, int frames, MaskingOptions options, int seed)
    {
        for (int b = 0; b < validLengths.Count; b++)
            if (validLengths[b] > frames)
                throw new ArgumentException(
                    $"Utterance {b} has {validLengths[b]} valid positions but the batch has only {frames}.", nameof(validLengths));
        var random = new Random(seed);
        var starts = SampleSpanStarts(validLengths, options, random);
        var mask = new bool[validLengths.Count][];
        for (int b = 0; b < mask.Length; b++)
        {
            mask[b] = new bool[frames];
            foreach (var start in starts[b])
                Array.Fill(mask[b], true, start, options.Length);
        }
        if (options.RequireSameMasks && mask.Length > 0)
            TrimToSmallestCount(mask, random);
        return mask;
    }

    /// <summary>
    /// Channel (feature) mask for fine-tuning, bool[batch][<paramref name="channels"/>]: the same sampling over the
    /// channel axis, every channel valid (Hugging Face's <c>mask_feature_prob</c> / <c>mask_feature_length</c>).
    /// A masked channel is zeroed at every frame of that utterance.
    /// </summary>
    public static bool[][] ComputeChannels(int batch, int channels, MaskingOptions options, int seed) =>
        Compute(Enumerable.Repeat(channels, batch).ToArray(), channels, options, seed);

    /// <summary>Number of masked positions in each utterance.</summary>
    public static int[] MaskedCounts(bool[][] mask) => mask.Select(row => row.Count(m => m)).ToArray();

    /// <summary>The mask as a bool tensor [batch, positions] on <paramref name="device"/> (CPU when null).</summary>
    public static Tensor ToTensor(bool[][] mask, Device? device = null)
    {
        var positions = mask.Length == 0 ? 0 : mask[0].Length;
        if (mask.Any(row => row.Length != positions))
            throw new ArgumentException("Every mask row must have the same number of positions.", nameof(mask));
        var flat = mask.SelectMany(row => row).ToArray();
        return torch.tensor(flat, new long[] { mask.Length, positions }, device: device);
    }

    /// <summary>
    /// <paramref name="count"/> distinct integers from 0 … <paramref name="range"/> − 1 (partial Fisher–Yates,
    /// numpy's <c>choice(replace=False)</c> has no .NET counterpart in the served packages).
    /// </summary>
    static int[] SampleWithoutReplacement(int range, int count, Random random)
    {
        if (count <= 0) return [];
        var pool = Enumerable.Range(0, range).ToArray();
        for (int i = 0; i < count; i++)
        {
            var j = random.Next(i, range);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    static void TrimToSmallestCount(bool[][] mask, Random random)
    {
        var target = MaskedCounts(mask).Min();
        foreach (var row in mask)
        {
            var masked = Enumerable.Range(0, row.Length).Where(i => row[i]).ToArray();
            var drop = SampleWithoutReplacement(masked.Length, masked.Length - target, random);
            foreach (var k in drop) row[masked[k]] = false;
        }
    }
}
