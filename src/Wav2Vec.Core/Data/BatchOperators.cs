using System.Reactive.Linq;
using Wav2Vec.Corpus;
using static TorchSharp.torch;

namespace Wav2Vec.Data;

/// <summary>Rx operators from utterance batches to <see cref="CollatedBatch"/>es and <see cref="Batch"/> tensors.</summary>
public static class BatchOperators
{
    /// <summary>Pre-training collation: crop to the batch's shortest item at random offsets, seeded per batch (<see cref="Collate.CropToShortest"/>).</summary>
    public static IObservable<CollatedBatch> CropToShortest(this IObservable<IReadOnlyList<AudioUtterance>> source, long seed, int? maxSampleSize = null) =>
        source.Select((batch, index) => Collate.CropToShortest(batch, SeededRandom.For(seed, "crop", index), maxSampleSize));

    /// <summary>Fine-tuning collation: pad to the longest, with lengths and encoded labels (<see cref="Collate.Pad"/>).</summary>
    public static IObservable<CollatedBatch> Pad(this IObservable<IReadOnlyList<AudioUtterance>> source, ILabelEncoder? labels = null) =>
        source.Select(batch => Collate.Pad(batch, labels));

    /// <summary>Makes tensors, last in the pipeline; the subscriber owns and disposes each <see cref="Batch"/>.</summary>
    public static IObservable<Batch> ToTensors(this IObservable<CollatedBatch> source, Device? device = null) =>
        source.Select(c => Batch.FromCollated(c, device));
}
