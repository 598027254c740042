using Wav2Vec.Data;

namespace Wav2Vec.Experiments;

/// <summary>A batch with its place in the data order, so a checkpoint can record where training stood.</summary>
/// <param name="Epoch">0-based pass over the training split.</param>
/// <param name="Index">1-based position of the batch within its epoch.</param>
/// <param name="Batch">The tensors (the receiver disposes them).</param>
public sealed record PlacedBatch(int Epoch, long Index, Batch Batch);

/// <summary>Endless, resumable data order: epoch after epoch of a seeded per-epoch pipeline.</summary>
public static class EpochBatches
{
    /// <summary>
    /// Batches of epoch <paramref name="startEpoch"/> onwards, skipping the first <paramref name="skip"/> of that epoch
    /// (those a resumed run has already trained on). Each epoch's order is a pure function of the epoch number, which
    /// <paramref name="epoch"/> must honour; at most <paramref name="prefetch"/> batches are decoded ahead.
    /// An epoch that yields no batch is an error (every utterance skipped, or an empty split).
    /// </summary>
    public static IEnumerable<PlacedBatch> From(Func<int, IObservable<Batch>> epoch, int startEpoch, long skip, int prefetch = 2)
    {
        for (var e = startEpoch; ; e++, skip = 0)
        {
            long index = 0;
            foreach (var batch in epoch(e).ToBlockingEnumerable(prefetch))
            {
                if (++index <= skip)
                {
                    batch.Dispose();
                    continue;
                }
                yield return new PlacedBatch(e, index, batch);
            }
            if (index == 0) throw new InvalidDataException($"epoch {e} produced no batch: the training split is empty or every utterance was skipped.");
        }
    }
}
