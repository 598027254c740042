using Wav2Vec.Data;

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
        // SeededRandom, not HashCode.Combine: the latter is salted per process, so batches would differ between runs.
        var random = Wav2Vec.Corpus.SeededRandom.For(seed, "batch-plan", epoch);
        var order = Enumerable.Range(0, lengths.Count).OrderBy(_ => random.Next()).ToArray();
        // Buckets of 50 shuffled utterances keep batches homogeneous in length yet varied across epochs.
        var batches = order.Chunk(50)
            .SelectMany(chunk => Bucketing.Cut(chunk, i => (int)lengths[i], maxSamples))
            .Select(batch => batch.ToArray())
            .ToList();
        return batches.OrderBy(_ => random.Next()).ToList();
    }
}
