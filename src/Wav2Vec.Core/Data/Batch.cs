using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Data;

/// <summary>
/// A batch as tensors, made at the very end of the data pipeline. The batch owns its tensors (they are detached from
/// any dispose scope): whoever receives it disposes it after the step (<c>using var batch = …</c> or
/// <see cref="Dispose"/>); a consumer that skips a batch must dispose it too.
/// </summary>
/// <param name="Audio"><c>[batch, samples]</c> float32 audio, zero in padding (padding at the end of a row).</param>
/// <param name="Lengths">Real samples per row.</param>
/// <param name="Targets"><c>[batch, max_target]</c> int64 label ids padded with the encoder's pad id, or null.</param>
/// <param name="TargetLengths"><c>[batch]</c> int64 label lengths, or null.</param>
/// <param name="Ids">Utterance ids per row.</param>
public sealed record Batch(Tensor Audio, long[] Lengths, Tensor? Targets, Tensor? TargetLengths, IReadOnlyList<string> Ids) : IDisposable
{
    /// <summary>Rows.</summary>
    public int Size => Ids.Count;

    /// <summary>True when some row is shorter than the batch (cropped pre-training batches never are).</summary>
    public bool IsPadded => Lengths.Any(l => l != Audio.shape[1]);

    /// <summary>Makes the tensors of a collated batch on <paramref name="device"/> (CPU when null).</summary>
    public static Batch FromCollated(CollatedBatch c, Device? device = null)
    {
        device ??= CPU;
        var audio = tensor(c.Audio, [c.BatchSize, c.Samples], ScalarType.Float32).to(device).DetachFromDisposeScope();
        Tensor? targets = null, targetLengths = null;
        if (c.Targets is { } t)
        {
            var width = Math.Max(1, t.Max(r => r.Length));
            var ids = new long[t.Length * width];
            Array.Fill(ids, c.PadId);
            for (var b = 0; b < t.Length; b++)
                for (var i = 0; i < t[b].Length; i++) ids[b * width + i] = t[b][i];
            targets = tensor(ids, [t.Length, width], ScalarType.Int64).to(device).DetachFromDisposeScope();
            targetLengths = tensor(t.Select(r => (long)r.Length).ToArray(), [t.Length], ScalarType.Int64).to(device).DetachFromDisposeScope();
        }
        return new Batch(audio, [.. c.Lengths.Select(l => (long)l)], targets, targetLengths, c.Ids);
    }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        Audio.Dispose();
        Targets?.Dispose();
        TargetLengths?.Dispose();
    }
}
