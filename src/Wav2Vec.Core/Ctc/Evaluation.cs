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
}
