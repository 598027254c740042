using Wav2Vec.Audio;
using Wav2Vec.Data;

namespace Wav2Vec.Experiments;

/// <summary>How a run turns a corpus's training utterances into audio, one path for the batches and whatever else reads the pool.</summary>
public static class CorpusAudio
{
    /// <summary>
    /// Decode (longer than <see cref="CorpusSpec.MaxSeconds"/> or shorter than <paramref name="receptiveField"/> is bad
    /// audio, skipped into <paramref name="skipped"/> or fatal as <see cref="CorpusSpec.BadAudio"/> says) → trim leading
    /// and trailing silence (<see cref="CorpusSpec.TrimSilence"/>) → standardise (<see cref="CorpusSpec.Normalize"/>).
    /// </summary>
    public static IObservable<AudioUtterance> Prepare(this IObservable<Utterance> utterances, CorpusSpec corpus, int receptiveField,
        SkipReport? skipped = null) =>
        utterances
            .Decode(DecodeOptions.Default with { MaxSeconds = corpus.MaxSeconds, MinSamples = receptiveField }, corpus.BadAudio, skipped)
            .TrimSilence(corpus.TrimSilence, receptiveField)
            .Standardize(corpus.Normalize);
}
