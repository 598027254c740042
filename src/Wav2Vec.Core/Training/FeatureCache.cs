using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Training;

/// <summary>
/// The frozen feature encoder's output per utterance, computed once and kept for later epochs. While the encoder
/// is frozen (the paper's fine-tuning setting) its output for an utterance never changes, and the CNN over raw
/// audio is most of a small model's forward cost, so epochs after the first run faster (Tiny: 0.30 → 0.17 s per update). Each
/// utterance goes through the encoder alone, unpadded, so group-norm statistics never include padding. Entries
/// beyond <see cref="CapacityBytes"/> are computed each time instead of kept.
/// </summary>
public sealed class FeatureCache(Wav2Vec2Model network, Device device, long capacityBytes = FeatureCache.DefaultCapacityBytes) : IDisposable
{
    /// <summary>2 GiB: the 10-minute split of a Base model takes ≈ 60 MB, 10 hours ≈ 3.7 GB.</summary>
    public const long DefaultCapacityBytes = 2L << 30;

    readonly Dictionary<(string Id, long Samples), Tensor> entries = [];

    /// <summary>Bytes the cache may hold.</summary>
    public long CapacityBytes { get; } = capacityBytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes { get; private set; }

    /// <summary>Utterances held now.</summary>
    public int Count => entries.Count;

    /// <summary>
    /// Conv features of a batch, zero-padded to [B, T_max, C], and the frame mask [B, T_max] (true = real frame), from
    /// <paramref name="audio"/> [B, L] whose row b holds <paramref name="lengths"/>[b] real samples (then padding).
    /// Tensors belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Features, Tensor FrameMask) Batch(IReadOnlyList<string> ids, Tensor audio, IReadOnlyList<long> lengths)
    {
        if (ids.Count != audio.shape[0] || lengths.Count != ids.Count)
            throw new ArgumentException($"{ids.Count} ids for {audio.shape[0]} rows of audio and {lengths.Count} lengths.");
        var rows = Enumerable.Range(0, ids.Count).Select(b => Get(ids[b], audio[b], lengths[b])).ToList();
        var frames = rows.Select(r => r.shape[0]).ToArray();
        var features = nn.utils.rnn.pad_sequence(rows, batch_first: true);
        var mask = arange(features.shape[1], device: device).unsqueeze(0).lt(tensor(frames, device: device).unsqueeze(1));
        return (features, mask);
    }

    /// <summary>[T, C] conv features of one utterance, its first <paramref name="length"/> samples of <paramref name="row"/> (cached, or computed and cached while there is room).</summary>
    Tensor Get(string id, Tensor row, long length)
    {
        if (entries.TryGetValue((id, length), out var cached)) return cached.alias();
        Tensor features;
        using (no_grad())
        using (var scope = NewDisposeScope())
            features = network.FeatureEncoder.Forward(row[TensorIndex.Slice(0, length)].unsqueeze(0).to(device))[0].detach().MoveToOuterDisposeScope();
        long bytes = features.NumberOfElements * features.ElementSize;
        if (Bytes + bytes > CapacityBytes) return features;
        entries[(id, length)] = features.alias().DetachFromDisposeScope();
        Bytes += bytes;
        return features;
    }

    /// <summary>Frees every entry.</summary>
    public void Dispose()
    {
        foreach (var t in entries.Values) t.Dispose();
        entries.Clear();
        Bytes = 0;
    }
}
