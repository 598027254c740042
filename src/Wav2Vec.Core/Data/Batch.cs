using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Data;

/// <summary>
/// A batch as tensors, made at the very end of the data pipeline. The batch owns its tensors (they are detached from
/// any dispose scope): whoever receives it disposes it after the step (<c>using var batch = …</c> or
/// <see cref="Dispose"/>); a consumer that skips a batch must dispose it too.
/// </summary>
/// <param name="Audio"><c>[batch, samples]</c> float32 audio, zero in padding.</param>
/// <param name="Lengths"><c>[batch]</c> int64 real samples per row.</param>
/// <param name="PaddingMask"><c>[batch, samples]</c> bool, true where padded (fairseq's <c>padding_mask</c> convention).</param>
/// <param name="Targets"><c>[batch, max_target]</c> int64 label ids padded with the encoder's pad id, or null.</param>
/// <param name="TargetLengths"><c>[batch]</c> int64 label lengths, or null.</param>
/// <param name="Ids">Utterance ids per row.</param>
public sealed record Batch(Tensor Audio, Tensor Lengths, Tensor PaddingMask, Tensor? Targets, Tensor? TargetLengths, IReadOnlyList<string> Ids)
    : IDisposable
{
    /// <summary>Rows.</summary>
    public int Size => Ids.Count;

    /// <summary>Makes the tensors of a collated batch on <paramref name="device"/> (CPU when null).</summary>
    public static Batch FromCollated(CollatedBatch c, Device? device = null)
    {
        device ??= CPU;
        var audio = tensor(c.Audio, [c.BatchSize, c.Samples], ScalarType.Float32).to(device).DetachFromDisposeScope();
        var lengths = tensor(c.Lengths.Select(l => (long)l).ToArray(), [c.BatchSize], ScalarType.Int64).to(device).DetachFromDisposeScope();
        var mask = new bool[c.BatchSize * c.Samples];
        for (var b = 0; b < c.BatchSize; b++)
            mask.AsSpan(b * c.Samples + c.Lengths[b], c.Samples - c.Lengths[b]).Fill(true);
        var padding = tensor(mask, [c.BatchSize, c.Samples]).to(device).DetachFromDisposeScope();
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
        return new Batch(audio, lengths, padding, targets, targetLengths, c.Ids);
    }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        Audio.Dispose();
        Lengths.Dispose();
        PaddingMask.Dispose();
        Targets?.Dispose();
        TargetLengths?.Dispose();
    }
}
