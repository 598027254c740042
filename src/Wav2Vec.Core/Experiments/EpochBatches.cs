using Wav2Vec.Data;

namespace Wav2Vec.Experiments;

/// <summary>Endless, resumable data order: epoch after epoch of a seeded per-epoch pipeline.</summary>
public static class EpochBatches
{
    /// <summary>
    /// Batches (with their epoch and 1-based index in it) of epoch <paramref name="startEpoch"/> onwards, skipping the first <paramref name="skip"/> of that epoch
    /// (those a resumed run has already trained on, handed to <paramref name="discard"/>). Each epoch's order is a pure function of the epoch number, which
    /// <paramref name="epoch"/> must honour; at most <paramref name="prefetch"/> batches are decoded ahead.
    /// An epoch that yields no batch is an error (every utterance skipped, or an empty split).
    /// </summary>
    public static IEnumerable<(int Epoch, long Index, T Batch)> From<T>(Func<int, IObservable<T>> epoch, int startEpoch, long skip,
        int prefetch = 2, Action<T>? discard = null)
    {
        for (var e = startEpoch; ; e++, skip = 0)
        {
            long index = 0;
            foreach (var batch in epoch(e).ToBlockingEnumerable(prefetch))
            {
                if (++index <= skip)
                {
                    discard?.Invoke(batch);
                    continue;
                }
                yield return (e, index, batch);
            }
            if (index == 0) throw new InvalidDataException($"epoch {e} produced no batch: the training split is empty or every utterance was skipped.");
        }
    }
}
