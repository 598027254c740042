using System.Reactive.Linq;
using Wav2Vec.Corpus;

namespace Wav2Vec.Data;

/// <summary>Cold observable sources of <see cref="Utterance"/>s from manifests.</summary>
public static class ManifestSource
{
    /// <summary>
    /// The manifest's utterances in file order, or in a seeded order when <paramref name="shuffleSeed"/> is given
    /// (pass a different seed per epoch, e.g. <c>seed + epoch</c>). Nothing is decoded here; each subscription replays
    /// the manifest, and disposing the subscription stops it before the next utterance.
    /// </summary>
    public static IObservable<Utterance> Utterances(this Manifest manifest, long? shuffleSeed = null) =>
        // Rx's enumerable source checks for disposal between items, so Take(n) downstream stops reading the manifest.
        Observable.Defer(() =>
        {
            var indices = Enumerable.Range(0, manifest.Entries.Count);
            var order = shuffleSeed is { } seed ? SeededRandom.Shuffle(indices, seed, "manifest-order") : indices;
            return order.Select(i => manifest.Entries[i])
                .Select(e => new Utterance(e.Id, manifest.FullPath(e), e.NumSamples, e.Words))
                .ToObservable();
        });
}
