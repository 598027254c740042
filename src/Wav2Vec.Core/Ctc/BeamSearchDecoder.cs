namespace Wav2Vec.Ctc;

/// <summary>Options of <see cref="BeamSearchDecoder"/>.</summary>
/// <param name="BeamWidth">Prefixes kept after each frame.</param>
/// <param name="LanguageModel">Optional word n-gram LM; its words must be spelt as the vocabulary spells them.</param>
/// <param name="Alpha">LM weight α on the natural-log word probability.</param>
/// <param name="Beta">Word-insertion bonus β added for every word the LM scores.</param>
/// <param name="TokenPruneLogProb">Tokens more than this far (natural log) below a frame's best are not tried; keeps the search linear in practice.</param>
public sealed record BeamSearchOptions(int BeamWidth = 50, ArpaLanguageModel? LanguageModel = null, double Alpha = 0.5, double Beta = 1.0,
    double TokenPruneLogProb = 10.0);

/// <summary>A decoded hypothesis: token ids, text, acoustic log-probability (summed over paths) and the total score ranked by.</summary>
public sealed record BeamHypothesis(int[] Tokens, string Text, double AcousticLogProb, double Score);

/// <summary>
/// CTC prefix beam search (Hannun et al., 2014) with an optional word n-gram LM, the decoder of the
/// wav2vec 2.0 paper (§4): a prefix's score is log p_CTC(prefix) + α·ln P_LM(words) + β·|words|. The LM is
/// applied at word boundaries, when <c>|</c> closes a word, and at the end of the utterance (last word and
/// <c>&lt;/s&gt;</c>). Pure C# over <c>[T][V]</c> log-probabilities.
/// </summary>
public static class BeamSearchDecoder
{
    /// <summary>A prefix in the prefix tree; children are unique, so a node identifies its token sequence.</summary>
    sealed class Prefix(Prefix? parent, int token, double lmScore, IReadOnlyList<string> words, string partialWord)
    {
        readonly Dictionary<int, Prefix> children = new();
        public Prefix? Parent { get; } = parent;
        public int Token { get; } = token;
        public double LmScore { get; } = lmScore;
        public IReadOnlyList<string> Words { get; } = words;
        public string PartialWord { get; } = partialWord;

        public Prefix Child(int token, Vocabulary vocabulary, BeamSearchOptions options)
        {
            if (children.TryGetValue(token, out var child)) return child;
            if (token != vocabulary.WordDelimiter)
                child = new Prefix(this, token, LmScore, Words, PartialWord + vocabulary.Tokens[token]);
            else if (PartialWord.Length == 0)
                child = new Prefix(this, token, LmScore, Words, "");
            else
                child = new Prefix(this, token, LmScore + WordScore(Words, PartialWord, options), [.. Words, PartialWord], "");
            children[token] = child;
            return child;
        }

        public int[] TokenIds()
        {
            var ids = new List<int>();
            for (var p = this; p.Parent is not null; p = p.Parent) ids.Add(p.Token);
            ids.Reverse();
            return [.. ids];
        }
    }

    /// <summary>Decodes <paramref name="logProbs"/> <c>[T][V]</c> (log-softmax outputs); returns up to BeamWidth hypotheses, best first.</summary>
    public static IReadOnlyList<BeamHypothesis> Decode(float[][] logProbs, Vocabulary vocabulary, BeamSearchOptions options)
    {
        if (options.BeamWidth < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BeamWidth, "beam width must be at least 1.");
        int blank = vocabulary.Blank;
        var root = new Prefix(null, -1, 0, [], "");
        var beams = new Dictionary<Prefix, (double Blank, double NonBlank)> { [root] = (0, double.NegativeInfinity) };
        foreach (var frame in logProbs)
        {
            var next = new Dictionary<Prefix, (double Blank, double NonBlank)>();
            void Add(Prefix p, double blankLp, double nonBlankLp)
            {
                var (b, nb) = next.GetValueOrDefault(p, (double.NegativeInfinity, double.NegativeInfinity));
                next[p] = (LogAdd(b, blankLp), LogAdd(nb, nonBlankLp));
            }
            float best = frame.Max();
            var tokens = Enumerable.Range(0, frame.Length).Where(v => v != blank && frame[v] >= best - options.TokenPruneLogProb).ToArray();
            foreach (var (prefix, (pb, pnb)) in beams)
            {
                double total = LogAdd(pb, pnb);
                Add(prefix, total + frame[blank], double.NegativeInfinity);
                // A repeated token without a blank between collapses into the same prefix.
                if (prefix.Token >= 0) Add(prefix, double.NegativeInfinity, pnb + frame[prefix.Token]);
                foreach (var token in tokens)
                {
                    var child = prefix.Child(token, vocabulary, options);
                    Add(child, double.NegativeInfinity, (token == prefix.Token ? pb : total) + frame[token]);
                }
            }
            beams = next.OrderByDescending(kv => LogAdd(kv.Value.Blank, kv.Value.NonBlank) + kv.Key.LmScore)
                .Take(options.BeamWidth).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
        return beams.Select(kv =>
            {
                double acoustic = LogAdd(kv.Value.Blank, kv.Value.NonBlank);
                var ids = kv.Key.TokenIds();
                return new BeamHypothesis(ids, vocabulary.ToText(ids), acoustic, acoustic + kv.Key.LmScore + FinalScore(kv.Key, options));
            })
            .OrderByDescending(h => h.Score)
            .ToList();
    }

    /// <summary>LM score of closing a word: α·ln P(word | previous words) + β; zero without an LM.</summary>
    static double WordScore(IReadOnlyList<string> words, string word, BeamSearchOptions options) =>
        options.LanguageModel is { } lm ? options.Alpha * Math.Log(10) * lm.LogProb(History(words), word) + options.Beta : 0;

    /// <summary>At the end of the utterance the unfinished word is closed and &lt;/s&gt; scored.</summary>
    static double FinalScore(Prefix prefix, BeamSearchOptions options)
    {
        if (options.LanguageModel is not { } lm) return 0;
        var words = prefix.Words;
        double score = 0;
        if (prefix.PartialWord.Length > 0)
        {
            score += WordScore(words, prefix.PartialWord, options);
            words = [.. words, prefix.PartialWord];
        }
        return score + options.Alpha * Math.Log(10) * lm.LogProb(History(words), ArpaLanguageModel.SentenceEnd);
    }

    static IReadOnlyList<string> History(IReadOnlyList<string> words) => [ArpaLanguageModel.SentenceStart, .. words];

    static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return Math.Max(a, b) + Math.Log(1 + Math.Exp(-Math.Abs(a - b)));
    }
}
