using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// Distractor sampling for the contrastive task (paper §3.3: "K distractors uniformly sampled from other masked
/// time steps of the same utterance"), with the semantics of Hugging Face's <c>_sample_negative_indices</c>: each
/// masked frame draws K frames with replacement from the other masked frames of its utterance, never itself.
/// </summary>
public static class NegativeSampling
{
    /// <summary>
    /// Distractor frame indices, int[batch][frames][<paramref name="count"/>], indices within the utterance.
    /// Rows of unmasked frames, and of a frame that is the only masked one of its utterance (nothing else to draw),
    /// repeat the frame's own index; <see cref="ContrastiveLogits"/> sets such distractors to −∞ because they equal
    /// the positive. A pure function of the mask and the seed.
    /// </summary>
    public static int[][][] Sample(bool[][] mask, int count, int seed)
    {
        if (count < 1) throw new ArgumentException($"The number of negatives must be at least 1, got {count}.", nameof(count));
        var random = new Random(seed);
        var negatives = new int[mask.Length][][];
        for (int b = 0; b < mask.Length; b++)
        {
            var row = mask[b];
            var masked = Enumerable.Range(0, row.Length).Where(t => row[t]).ToArray();
            negatives[b] = Enumerable.Range(0, row.Length).Select(t => Enumerable.Repeat(t, count).ToArray()).ToArray();
            if (masked.Length < 2) continue;
            for (int j = 0; j < masked.Length; j++)
            {
                var drawn = negatives[b][masked[j]];
                for (int k = 0; k < count; k++)
                {
                    // Draw from the n − 1 other masked frames and shift past the positive: uniform, never the positive.
                    var r = random.Next(masked.Length - 1);
                    drawn[k] = masked[r >= j ? r + 1 : r];
                }
            }
        }
        return negatives;
    }

    /// <summary>
    /// The distractors as a long tensor [batch, frames, K] of indices into the batch flattened to
    /// [batch·frames, …] (index b·frames + t, Hugging Face's layout), on <paramref name="device"/> (CPU when null).
    /// </summary>
    public static Tensor ToTensor(int[][][] negatives, Device? device = null)
    {
        var batch = negatives.Length;
        var frames = batch == 0 ? 0 : negatives[0].Length;
        var count = frames == 0 ? 0 : negatives[0][0].Length;
        var flat = new long[batch * frames * count];
        var i = 0;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < frames; t++)
                foreach (var index in negatives[b][t])
                    flat[i++] = (long)b * frames + index;
        return torch.tensor(flat, new long[] { batch, frames, count }, device: device);
    }
}
