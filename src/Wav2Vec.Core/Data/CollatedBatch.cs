namespace Wav2Vec.Data;

/// <summary>
/// A batch as plain arrays, before any tensor exists (pure, cheap to test).
/// </summary>
/// <param name="Audio">Row-major <c>[batch, samples]</c> audio, zero in padding.</param>
/// <param name="BatchSize">Rows.</param>
/// <param name="Samples">Columns: the padded (or cropped) length.</param>
/// <param name="Lengths"><c>[batch]</c> real samples per row.</param>
/// <param name="Targets">Per row the label ids, or null for unlabelled batches.</param>
/// <param name="PadId">The id targets are padded with when they become a tensor.</param>
/// <param name="Ids">Utterance ids per row.</param>
public sealed record CollatedBatch(float[] Audio, int BatchSize, int Samples, int[] Lengths, int[][]? Targets, int PadId, IReadOnlyList<string> Ids);

/// <summary>Pure collation of decoded utterances into <see cref="CollatedBatch"/>es.</summary>
public static class Collate
{
    /// <summary>
    /// Pre-training (fairseq's <c>RawAudioDataset</c> with <c>pad=False</c>): every item is cropped to the batch's
    /// shortest item — or to <paramref name="maxSampleSize"/> if shorter — at a random offset, so there is no padding.
    /// </summary>
    public static CollatedBatch CropToShortest(IReadOnlyList<AudioUtterance> batch, Random random, int? maxSampleSize = null)
    {
        var size = batch.Min(u => u.Length);
        if (maxSampleSize is { } max) size = Math.Min(size, max);
        var audio = new float[batch.Count * size];
        for (var b = 0; b < batch.Count; b++)
        {
            var offset = random.Next(batch[b].Length - size + 1);
            batch[b].Samples.AsSpan(offset, size).CopyTo(audio.AsSpan(b * size, size));
        }
        return new CollatedBatch(audio, batch.Count, size, [.. batch.Select(_ => size)], null, 0, [.. batch.Select(u => u.Utterance.Id)]);
    }

    /// <summary>
    /// Fine-tuning: zero-pads every item to the longest, keeps the real lengths, and encodes each transcript when
    /// <paramref name="labels"/> is given.
    /// </summary>
    /// <exception cref="InvalidOperationException">An utterance without letters in a labelled batch; the message names it.</exception>
    public static CollatedBatch Pad(IReadOnlyList<AudioUtterance> batch, ILabelEncoder? labels = null)
    {
        var size = batch.Max(u => u.Length);
        var audio = new float[batch.Count * size];
        for (var b = 0; b < batch.Count; b++)
            batch[b].Samples.CopyTo(audio.AsSpan(b * size));
        int[][]? targets = labels is null ? null : [.. batch.Select(u => labels.Encode(
            u.Utterance.Transcript ?? throw new InvalidOperationException($"{u.Utterance.Id}: no transcript, but the batch needs labels"), u.Utterance.Id))];
        return new CollatedBatch(audio, batch.Count, size, [.. batch.Select(u => u.Length)], targets, labels?.PadId ?? 0, [.. batch.Select(u => u.Utterance.Id)]);
    }
}
