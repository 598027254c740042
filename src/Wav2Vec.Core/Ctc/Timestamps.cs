namespace Wav2Vec.Ctc;

/// <summary>One emitted token over frames <c>[Start, End)</c> with its mean per-frame probability.</summary>
public sealed record TokenSpan(int Token, int Start, int End, double Score);

/// <summary>A letter (any non-delimiter token) with its times in seconds and mean per-frame probability.</summary>
public sealed record CharacterSpan(string Character, double StartSeconds, double EndSeconds, double Score);

/// <summary>A word over frames <c>[Start, End)</c>, its times in seconds and its mean per-frame probability.</summary>
public sealed record WordSpan(string Word, int Start, int End, double StartSeconds, double EndSeconds, double Score);

/// <summary>
/// Token and word timings from a frame path (a best path or a forced alignment). The frame stride comes
/// from the model: 320 samples at 16 kHz, i.e. 20 ms, for the wav2vec 2.0 feature encoder.
/// </summary>
public static class Timestamps
{
    /// <summary>Seconds per encoder frame of the standard wav2vec 2.0 feature encoder (strides 5·2⁶ = 320 samples at 16 kHz).</summary>
    public const double DefaultSecondsPerFrame = 0.02;

    /// <summary>
    /// Spans of the tokens the path emits: each run of a non-blank token is one span; a run's score is the
    /// mean probability the model gave that token over the run's frames.
    /// </summary>
    /// <param name="path">Token per frame, length T.</param>
    /// <param name="logProbs"><c>[T][V]</c> log-probabilities the path was taken from.</param>
    /// <param name="blank">Blank id.</param>
    public static IReadOnlyList<TokenSpan> TokenSpans(IReadOnlyList<int> path, float[][] logProbs, int blank)
    {
        var spans = new List<TokenSpan>();
        for (int t = 0; t < path.Count;)
        {
            int token = path[t], start = t;
            double sum = 0;
            for (; t < path.Count && path[t] == token; t++) sum += Math.Exp(logProbs[t][token]);
            if (token != blank) spans.Add(new TokenSpan(token, start, t, sum / (t - start)));
        }
        return spans;
    }

    /// <summary>
    /// Groups token spans into words at the <c>|</c> delimiter. A word starts at its first letter's first
    /// frame and ends after its last letter's last frame; its score is the frame-weighted mean of its letters' scores.
    /// </summary>
    public static IReadOnlyList<WordSpan> Words(IReadOnlyList<TokenSpan> spans, Vocabulary vocabulary, double secondsPerFrame = DefaultSecondsPerFrame)
    {
        var words = new List<WordSpan>();
        var letters = new List<TokenSpan>();
        void Flush()
        {
            if (letters.Count == 0) return;
            int start = letters[0].Start, end = letters[^1].End;
            double frames = letters.Sum(s => s.End - s.Start);
            double score = letters.Sum(s => s.Score * (s.End - s.Start)) / frames;
            words.Add(new WordSpan(string.Concat(letters.Select(s => vocabulary.Tokens[s.Token])), start, end,
                start * secondsPerFrame, end * secondsPerFrame, score));
            letters.Clear();
        }
        foreach (var span in spans)
        {
            if (span.Token == vocabulary.WordDelimiter) Flush();
            else letters.Add(span);
        }
        Flush();
        return words;
    }

    /// <summary>Per-character timings: every emitted token but the word delimiter, in seconds.</summary>
    public static IReadOnlyList<CharacterSpan> Characters(IReadOnlyList<TokenSpan> spans, Vocabulary vocabulary, double secondsPerFrame = DefaultSecondsPerFrame) =>
        spans.Where(s => s.Token != vocabulary.WordDelimiter)
            .Select(s => new CharacterSpan(vocabulary.Tokens[s.Token], s.Start * secondsPerFrame, s.End * secondsPerFrame, s.Score))
            .ToList();
}
