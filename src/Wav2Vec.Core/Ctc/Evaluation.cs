using Wav2Vec.Metrics;
using Wav2Vec.Text;

namespace Wav2Vec.Ctc;

/// <summary>One utterance's reference, hypothesis and word/character counts.</summary>
public sealed record UtteranceScore(string Id, string Reference, string Hypothesis, ErrorCounts Words, ErrorCounts Characters);

/// <summary>Corpus WER/CER counts (totals over utterances, as sclite) with the per-utterance scores.</summary>
public sealed record EvaluationResult(ErrorCounts Words, ErrorCounts Characters, IReadOnlyList<UtteranceScore> Utterances)
{
    /// <summary>Word error rate Σ(S+D+I) / ΣN.</summary>
    public double Wer => Words.Rate;

    /// <summary>Character error rate.</summary>
    public double Cer => Characters.Rate;

    /// <summary>The <paramref name="count"/> utterances with the most word errors (then the highest WER).</summary>
    public IReadOnlyList<UtteranceScore> Worst(int count) =>
        Utterances.OrderByDescending(u => u.Words.Errors).ThenByDescending(u => u.Words.Rate).ThenBy(u => u.Id, StringComparer.Ordinal).Take(count).ToList();
}

/// <summary>An utterance that could not be scored: its id and why (audio that does not decode or transcribe, or a reference the vocabulary cannot write).</summary>
public sealed record EvaluationFailure(string Id, Exception Error);

/// <summary>Scores hypotheses against references normalised as the training targets were.</summary>
public static class Evaluation
{
    /// <summary>Scores (id, reference, hypothesis) triples; references pass through <paramref name="normalizer"/>, hypotheses are model output.</summary>
    public static EvaluationResult Score(IEnumerable<(string Id, string Reference, string Hypothesis)> utterances, ITranscriptNormalizer normalizer)
    {
        var scores = utterances.Select(u =>
        {
            var reference = normalizer.Normalize(u.Reference).ToWrd();
            return new UtteranceScore(u.Id, reference, u.Hypothesis, ErrorRates.Words(reference, u.Hypothesis), ErrorRates.Characters(reference, u.Hypothesis));
        }).ToList();
        return new EvaluationResult(scores.Aggregate(ErrorCounts.Zero, (a, s) => a + s.Words),
            scores.Aggregate(ErrorCounts.Zero, (a, s) => a + s.Characters), scores);
    }

    /// <summary>Transcribes and scores (id, waveform, reference) triples with <paramref name="recognizer"/>.</summary>
    public static EvaluationResult Run(CtcRecognizer recognizer, IEnumerable<(string Id, float[] Waveform, string Reference)> utterances,
        ITranscriptNormalizer normalizer, DecodingOptions? options = null) =>
        Score(utterances.Select(u => (u.Id, u.Reference, recognizer.Transcribe(u.Waveform, options).Text)), normalizer);

    /// <summary>Decodes log-probabilities <c>[T][V]</c> computed before (<see cref="LogProbsEach"/>) with <paramref name="options"/> and scores them.</summary>
    public static EvaluationResult Decode(CtcRecognizer recognizer, IEnumerable<(string Id, string Reference, float[][] LogProbs)> utterances,
        ITranscriptNormalizer normalizer, DecodingOptions options) =>
        Score(utterances.Select(u => (u.Id, u.Reference, recognizer.Decode(u.LogProbs, options).Text)), normalizer);

    /// <summary>
    /// Transcribes and scores utterances one by one, each failure confined to its utterance (<see cref="LogProbsEach"/>):
    /// the failures are passed to <paramref name="onFailure"/> and left out; the rest are scored.
    /// </summary>
    public static EvaluationResult RunEach(CtcRecognizer recognizer, IEnumerable<(string Id, Func<float[]> Waveform, string Reference)> utterances,
        ITranscriptNormalizer normalizer, DecodingOptions? options, Action<EvaluationFailure> onFailure) =>
        Decode(recognizer, LogProbsEach(recognizer, utterances, normalizer, onFailure), normalizer, options ?? DecodingOptions.Greedy);

    /// <summary>
    /// The CTC log-probabilities <c>[T][V]</c> of each utterance that can be scored, computed lazily one by one: an
    /// utterance whose reference has characters the model's vocabulary cannot write (the rule fine-tuning applies to
    /// its targets, <see cref="Tokenizer.Encode"/>), or whose audio fails to decode (<paramref name="utterances"/> decode
    /// lazily) or to run through the model, is passed to <paramref name="onFailure"/> and left out. Running out of
    /// memory still stops the run.
    /// </summary>
    public static IEnumerable<(string Id, string Reference, float[][] LogProbs)> LogProbsEach(CtcRecognizer recognizer,
        IEnumerable<(string Id, Func<float[]> Waveform, string Reference)> utterances, ITranscriptNormalizer normalizer, Action<EvaluationFailure> onFailure)
    {
        var tokenizer = new Tokenizer(recognizer.Vocabulary, normalizer);
        foreach (var (id, waveform, reference) in utterances)
        {
            float[][] logProbs;
            try
            {
                tokenizer.Encode(reference, id);
                logProbs = recognizer.LogProbs(waveform());
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                onFailure(new EvaluationFailure(id, e));
                continue;
            }
            yield return (id, reference, logProbs);
        }
    }
}
