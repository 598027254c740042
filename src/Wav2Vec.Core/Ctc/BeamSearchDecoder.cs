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
    /// <summary>
    /// A prefix in the prefix tree; children are unique, so a node identifies its token sequence. It also holds the
    /// path sums of the frame being built (<see cref="Frame"/> says which), so a frame needs no map from prefixes.
    /// </summary>
    sealed class Prefix(Prefix? parent, int token, double lmScore, IReadOnlyList<string> words, string partialWord)
    {
        Prefix?[]? children;
        public Prefix? Parent { get; } = parent;
        public int Token { get; } = token;
        public double LmScore { get; } = lmScore;
        public IReadOnlyList<string> Words { get; } = words;
        public string PartialWord { get; } = partialWord;

        /// <summary>The frame whose sums <see cref="Blank"/> and <see cref="NonBlank"/> hold (−1: none yet).</summary>
        public int Frame = -1;
        public double Blank, NonBlank;

        /// <summary>The child by <paramref name="token"/> when it has been made, else null.</summary>
        public Prefix? Existing(int token) => children?[token];

        public Prefix Child(int token, Vocabulary vocabulary, BeamSearchOptions options)
        {
            children ??= new Prefix?[vocabulary.Count];
            if (children[token] is { } child) return child;
            if (token != vocabulary.WordDelimiter)
                child = new Prefix(this, token, LmScore, Words, PartialWord + vocabulary.Tokens[token]);
            else if (PartialWord.Length == 0)
                child = new Prefix(this, token, LmScore, Words, "");
            else
                child = new Prefix(this, token, LmScore + WordScore(Words, PartialWord, options), [.. Words, PartialWord], "");
            return children[token] = child;
        }

        public int[] TokenIds()
        {
            var ids = new List<int>();
            for (var p = this; p.Parent is not null; p = p.Parent) ids.Add(p.Token);
            ids.Reverse();
            return [.. ids];
        }
    }

    /// <summary>
    /// A candidate of the next beam: a prefix in the tree (<see cref="Node"/>), or a letter not yet tried after
    /// <see cref="Parent"/> (<see cref="Token"/>; its node is made only when it enters the beam, as most candidates do
    /// not), with its path sums ending in blank and in non-blank, the score it is ranked by and its place among the
    /// frame's candidates.
    /// </summary>
    readonly record struct Entry(Prefix? Node, Prefix Parent, int Token, double Blank, double NonBlank, double Score, int Order) : IComparable<Entry>
    {
        /// <summary>Best score first; equal scores keep the order the candidates arose in (a stable sort).</summary>
        public int CompareTo(Entry other)
        {
            int byScore = other.Score.CompareTo(Score);
            return byScore != 0 ? byScore : Order.CompareTo(other.Order);
        }
    }

    /// <summary>The heap's root is the worst kept candidate.</summary>
    static readonly Comparer<Entry> WorstFirst = Comparer<Entry>.Create((a, b) => b.CompareTo(a));

    /// <summary>Decodes <paramref name="logProbs"/> <c>[T][V]</c> (log-softmax outputs); returns up to BeamWidth hypotheses, best first.</summary>
    public static IReadOnlyList<BeamHypothesis> Decode(float[][] logProbs, Vocabulary vocabulary, BeamSearchOptions options)
    {
        if (options.BeamWidth < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BeamWidth, "beam width must be at least 1.");
        int blank = vocabulary.Blank, delimiter = vocabulary.WordDelimiter;
        var root = new Prefix(null, -1, 0, [], "");
        var beams = new List<Entry> { new(root, root, -1, 0, double.NegativeInfinity, 0, 0) };
        // The candidates in the order they arose: nodes of the tree, whose sums accumulate on the node, and letters
        // new after their prefix, which only that prefix reaches (one path sum each).
        var next = new List<Entry>();
        var tokens = new List<int>();
        var kept = new PriorityQueue<Entry, Entry>(options.BeamWidth + 1, WorstFirst);
        for (int t = 0; t < logProbs.Length; t++)
        {
            var frame = logProbs[t];
            next.Clear();
            void Add(Prefix p, double blankLp, double nonBlankLp)
            {
                if (p.Frame != t)
                {
                    (p.Frame, p.Blank, p.NonBlank) = (t, double.NegativeInfinity, double.NegativeInfinity);
                    next.Add(new Entry(p, p, -1, 0, 0, 0, next.Count));
                }
                (p.Blank, p.NonBlank) = (LogAdd(p.Blank, blankLp), LogAdd(p.NonBlank, nonBlankLp));
            }
            float best = float.NegativeInfinity;
            foreach (var lp in frame) best = Math.Max(best, lp);
            tokens.Clear();
            for (int v = 0; v < frame.Length; v++)
                if (v != blank && frame[v] >= best - options.TokenPruneLogProb) tokens.Add(v);
            foreach (var (prefix, _, _, pb, pnb, _, _) in beams)
            {
                double total = LogAdd(pb, pnb);
                Add(prefix!, total + frame[blank], double.NegativeInfinity);
                // A repeated token without a blank between collapses into the same prefix.
                if (prefix!.Token >= 0) Add(prefix, double.NegativeInfinity, pnb + frame[prefix.Token]);
                foreach (var token in tokens)
                {
                    double nonBlank = (token == prefix.Token ? pb : total) + frame[token];
                    if (token != delimiter && prefix.Existing(token) is null)
                        next.Add(new Entry(null, prefix, token, double.NegativeInfinity, nonBlank, nonBlank + prefix.LmScore, next.Count));
                    else
                        Add(prefix.Child(token, vocabulary, options), double.NegativeInfinity, nonBlank);
                }
            }
            kept.Clear();
            foreach (var candidate in next)
            {
                var entry = candidate.Node is { } p
                    ? candidate with { Blank = p.Blank, NonBlank = p.NonBlank, Score = LogAdd(p.Blank, p.NonBlank) + p.LmScore }
                    : candidate;
                if (kept.Count < options.BeamWidth) kept.Enqueue(entry, entry);
                else if (entry.CompareTo(kept.Peek()) < 0) kept.EnqueueDequeue(entry, entry);
            }
            beams.Clear();
            while (kept.TryDequeue(out var entry, out _))
                beams.Add(entry.Node is null ? entry with { Node = entry.Parent.Child(entry.Token, vocabulary, options) } : entry);
            beams.Sort();
        }
        return beams.Select(e =>
            {
                double acoustic = LogAdd(e.Blank, e.NonBlank);
                var ids = e.Node!.TokenIds();
                return new BeamHypothesis(ids, vocabulary.ToText(ids), acoustic, acoustic + e.Node.LmScore + FinalScore(e.Node, options));
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
