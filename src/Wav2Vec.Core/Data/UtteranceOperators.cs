using System.Reactive.Linq;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;

namespace Wav2Vec.Data;

/// <summary>
/// Rx operators on utterance streams. Each holds at most a fixed number of items, never the whole stream, and is built
/// from Rx's own operators so that disposing downstream (e.g. <c>Take</c>) stops the source mid-stream.
/// </summary>
public static class UtteranceOperators
{
    /// <summary>
    /// Decodes each utterance when it arrives (lazily, on the producer's thread). Bad audio stops the stream with an
    /// <see cref="AudioDecodeException"/> naming the file, or with <see cref="BadAudioPolicy.Skip"/> is left out and
    /// counted in <paramref name="skipped"/>.
    /// </summary>
    public static IObservable<AudioUtterance> Decode(this IObservable<Utterance> source, DecodeOptions? options = null,
        BadAudioPolicy policy = BadAudioPolicy.Fail, SkipReport? skipped = null) =>
        source.SelectMany(u => TryDecode(u, options, policy, skipped));

    /// <summary>The same decoding over a plain sequence, one utterance at a time as it is enumerated.</summary>
    public static IEnumerable<AudioUtterance> Decode(this IEnumerable<Utterance> source, DecodeOptions? options = null,
        BadAudioPolicy policy = BadAudioPolicy.Fail, SkipReport? skipped = null) =>
        source.SelectMany(u => TryDecode(u, options, policy, skipped));

    static IEnumerable<AudioUtterance> TryDecode(Utterance u, DecodeOptions? options, BadAudioPolicy policy, SkipReport? skipped)
    {
        try
        {
            return [new AudioUtterance(u, u.Decode(options))];
        }
        catch (AudioDecodeException e) when (policy == BadAudioPolicy.Skip)
        {
            skipped?.Add(e);
            return [];
        }
    }

    /// <summary>
    /// Groups utterances into batches of at most <paramref name="maxSamples"/> padded samples (batch size × longest item,
    /// as fairseq's <c>max_tokens</c>) with length bucketing: <paramref name="bucketWindow"/> utterances are collected,
    /// sorted by length and cut into batches, and those batches are emitted in a seeded order, so items of similar
    /// length share a batch and little is padded. Holds at most one window. An item longer than
    /// <paramref name="maxSamples"/> forms a batch of its own.
    /// </summary>
    public static IObservable<IReadOnlyList<AudioUtterance>> BatchBySize(this IObservable<AudioUtterance> source, long maxSamples,
        int bucketWindow = 256, long seed = 0, Func<AudioUtterance, int>? length = null) =>
        Observable.Defer(() =>
        {
            var measure = length ?? (u => u.Length);
            var window = new List<AudioUtterance>(bucketWindow);
            var windows = 0L;
            IEnumerable<IReadOnlyList<AudioUtterance>> Flush()
            {
                var batches = SeededRandom.Shuffle(Bucketing.Cut(window, measure, maxSamples), seed, "batches-" + windows++);
                window.Clear();
                return batches;
            }
            IEnumerable<IReadOnlyList<AudioUtterance>> Push(AudioUtterance u)
            {
                window.Add(u);
                return window.Count >= bucketWindow ? Flush() : [];
            }
            return source.SelectMany(Push).Concat(Observable.Defer(() => Flush().ToObservable()));
        });
}
