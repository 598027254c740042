namespace Wav2Vec.Training;

/// <summary>
/// Which utterances go together in each batch of an epoch: a seeded shuffle, then length-sorted buckets so a
/// batch pads little, filled while (longest length × count) stays within a sample budget, then the batches
/// shuffled. Pure: same lengths, budget, seed and epoch → same batches.
/// </summary>
public static class BatchPlan
{
    /// <summary>Index batches covering every utterance of <paramref name="lengths"/> once.</summary>
    /// <param name="lengths">Samples per utterance.</param>
    /// <param name="maxSamples">Budget of padded samples per batch (an utterance longer than it gets a batch alone).</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <param name="epoch">Epoch number, varied per epoch.</param>
    public static IReadOnlyList<int[]> Epoch(IReadOnlyList<long> lengths, long maxSamples, long seed, int epoch)
    {
        var random = new Random(HashCode.Combine(seed, epoch, "batches"));
        var order = Enumerable.Range(0, lengths.Count).OrderBy(_ => random.Next()).ToArray();
        // Buckets of 50 shuffled utterances sorted by length keep batches homogeneous yet varied across epochs.
        var sorted = order.Chunk(50).SelectMany(chunk => chunk.OrderBy(i => lengths[i]));
        var batches = new List<int[]>();
        var current = new List<int>();
        long longest = 0;
        foreach (var i in sorted)
        {
            long candidate = Math.Max(longest, lengths[i]);
            if (current.Count > 0 && candidate * (current.Count + 1) > maxSamples)
            {
                batches.Add([.. current]);
                current.Clear();
                candidate = lengths[i];
            }
            current.Add(i);
            longest = candidate;
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches.OrderBy(_ => random.Next()).ToList();
    }
}
