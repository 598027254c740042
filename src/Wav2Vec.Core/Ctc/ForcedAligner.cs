namespace Wav2Vec.Ctc;

/// <summary>A CTC forced alignment: the best frame path spelling the target, its token spans and its log-probability.</summary>
/// <param name="Path">Token per frame (blanks included), length T; collapses to the target.</param>
/// <param name="Spans">One span per target token, in order, non-overlapping.</param>
/// <param name="LogProbability">Natural log-probability of <see cref="Path"/>.</param>
public sealed record Alignment(int[] Path, IReadOnlyList<TokenSpan> Spans, double LogProbability);

/// <summary>
/// Viterbi alignment of a known token sequence to CTC log-probabilities (Graves et al., 2006, with max in
/// place of sum): the single most likely path through the blank-interleaved target.
/// </summary>
public static class ForcedAligner
{
    /// <summary>
    /// Aligns <paramref name="target"/> (token ids, no blanks) to <paramref name="logProbs"/> <c>[T][V]</c>.
    /// Throws when the utterance has too few frames to spell the target (each token one frame, plus one blank
    /// between equal neighbours), naming <paramref name="utterance"/>.
    /// </summary>
    public static Alignment Align(float[][] logProbs, IReadOnlyList<int> target, int blank, string utterance = "<utterance>")
    {
        int frames = logProbs.Length, states = 2 * target.Count + 1;
        int needed = target.Count + Enumerable.Range(1, Math.Max(0, target.Count - 1)).Count(i => target[i] == target[i - 1]);
        if (frames < needed)
            throw new ArgumentException($"utterance {utterance}: {frames} frames cannot spell {target.Count} tokens (needs at least {needed}).");
        if (target.Any(token => token == blank))
            throw new ArgumentException($"utterance {utterance}: the target contains the blank token {blank}.");
        if (frames == 0) return new Alignment([], [], 0);

        int Label(int s) => s % 2 == 0 ? blank : target[s / 2];
        // score[s]: best log-probability of a path ending in state s; from[t, s]: how many states back it came from.
        var score = new double[states];
        var next = new double[states];
        var from = new byte[frames, states];
        Array.Fill(score, double.NegativeInfinity);
        score[0] = logProbs[0][blank];
        if (states > 1) score[1] = logProbs[0][Label(1)];
        for (int t = 1; t < frames; t++)
        {
            for (int s = 0; s < states; s++)
            {
                double best = score[s];
                byte step = 0;
                if (s >= 1 && score[s - 1] > best) { best = score[s - 1]; step = 1; }
                if (s >= 2 && Label(s) != blank && Label(s) != Label(s - 2) && score[s - 2] > best) { best = score[s - 2]; step = 2; }
                next[s] = best + logProbs[t][Label(s)];
                from[t, s] = step;
            }
            (score, next) = (next, score);
        }
        int state = states == 1 || score[states - 1] >= score[states - 2] ? states - 1 : states - 2;
        double logProbability = score[state];
        var stateOfFrame = new int[frames];
        for (int t = frames - 1; t >= 0; t--)
        {
            stateOfFrame[t] = state;
            state -= from[t, state];
        }
        var path = stateOfFrame.Select(Label).ToArray();
        var spans = new List<TokenSpan>();
        for (int t = 0; t < frames;)
        {
            int s = stateOfFrame[t], start = t;
            double sum = 0;
            for (; t < frames && stateOfFrame[t] == s; t++) sum += Math.Exp(logProbs[t][Label(s)]);
            if (s % 2 == 1) spans.Add(new TokenSpan(Label(s), start, t, sum / (t - start)));
        }
        return new Alignment(path, spans, logProbability);
    }
}
