using FsCheck.Xunit;
using Wav2Vec.Ctc;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Ctc;

public class BeamSearchDecoderTests
{
    static readonly Vocabulary Small = new(["<pad>", "|", "A", "B"]);

    static float[][] Frames(params double[][] probabilities) =>
        probabilities.Select(row => row.Select(p => (float)Math.Log(p)).ToArray()).ToArray();

    [Fact]
    public void BeamSearchFindsTheMostProbableLabellingWhereTheBestPathMissesIt()
    {
        // Each frame: blank .4, A .35, B .25. Best path is blank blank (""), P=.16; but P("A") sums
        // AA + A- + -A = .1225 + .14 + .14 = .4025.
        var logProbs = Frames([0.4, 0.0, 0.35, 0.25], [0.4, 0.0, 0.35, 0.25]);
        Assert.Equal("", GreedyDecoder.Decode(logProbs, Small));
        var best = BeamSearchDecoder.Decode(logProbs, Small, new BeamSearchOptions(BeamWidth: 4))[0];
        Assert.Equal("A", best.Text);
        Assert.Equal(Math.Log(0.4025), best.AcousticLogProb, 6);
        Assert.Equal("", BeamSearchDecoder.Decode(logProbs, Small, new BeamSearchOptions(BeamWidth: 1))[0].Text);
    }

    [Fact]
    public void LanguageModelOverridesAnAcousticallyPreferredMisspelling()
    {
        var vocabulary = Vocabulary.English;
        var tokenizer = new Tokenizer(vocabulary, TranscriptNormalizer.English);
        var spelling = tokenizer.Encode("THE CA");
        var logProbs = CtcFixtures.Peaky([.. spelling, 6, vocabulary.Blank], vocabulary.Count, 0.98, new Random(3));
        // Make the last letter ambiguous: R .55 against T .44.
        logProbs[spelling.Length] = logProbs[spelling.Length].Select((_, v) => (float)Math.Log(v == 13 ? 0.55 : v == 6 ? 0.44 : 0.01 / 30)).ToArray();
        var (lm, _) = LanguageModelBuilder.Build([["THE", "CAT"], ["A", "CAT"], ["THE", "CAT", "SAT"], ["THE", "DOG"]], 2, Smoothing.ModifiedKneserNey);

        Assert.Equal("THE CAR", BeamSearchDecoder.Decode(logProbs, vocabulary, new BeamSearchOptions(BeamWidth: 8))[0].Text);
        Assert.Equal("THE CAT", BeamSearchDecoder.Decode(logProbs, vocabulary, new BeamSearchOptions(8, lm, Alpha: 1.0, Beta: 0))[0].Text);
    }

    [Fact]
    public void WordInsertionBonusTradesAgainstTheLanguageModel()
    {
        // "A" then an ambiguous frame: delimiter (a second word follows) or blank (one word).
        var logProbs = Frames([0.05, 0.05, 0.85, 0.05], [0.45, 0.4, 0.1, 0.05], [0.05, 0.05, 0.85, 0.05]);
        var (lm, _) = LanguageModelBuilder.Build([["A"], ["AA"], ["B"]], 1, Smoothing.WittenBell);
        string Best(double beta) => BeamSearchDecoder.Decode(logProbs, Small, new BeamSearchOptions(8, lm, Alpha: 1.0, Beta: beta))[0].Text;
        Assert.Equal("AA", Best(0));
        Assert.Equal("A A", Best(5));
    }

    /// <summary>
    /// Prefix beam search sums over paths and greedy takes the best path, so they agree when the best path
    /// dominates; peaky frames (p = .995 over at most ~60 frames) keep the best path above half the mass.
    /// </summary>
    [Property]
    public bool BeamWidthOneWithoutLanguageModelEqualsGreedy(int seed)
    {
        var random = new Random(seed);
        var vocabulary = Vocabulary.English;
        var path = CtcFixtures.Expand(CtcFixtures.RandomTokens(random, vocabulary.Count, 12), vocabulary.Blank, random);
        var logProbs = CtcFixtures.Peaky(path, vocabulary.Count, 0.995, random);
        var beam = BeamSearchDecoder.Decode(logProbs, vocabulary, new BeamSearchOptions(BeamWidth: 1))[0];
        return beam.Tokens.SequenceEqual(GreedyDecoder.DecodeIds(logProbs, vocabulary.Blank))
               && beam.Text == GreedyDecoder.Decode(logProbs, vocabulary);
    }

    /// <summary>
    /// Without pruning (a beam wider than every prefix, every token tried) prefix beam search is exact: its hypotheses
    /// are every labelling, each scored log Σ over the CTC paths that collapse to it, plus α·ln P_LM of its words and β
    /// per word, as enumerating all V^T paths finds; the first has the highest score.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool WithoutPruningEveryLabellingIsScoredAsEnumeratingItsPathsDoes(int seed)
    {
        var random = new Random(seed);
        int frames = random.Next(1, 6), v = Small.Count;
        var probabilities = Enumerable.Range(0, frames).Select(_ =>
        {
            var row = Enumerable.Range(0, v).Select(_ => 0.05 + random.NextDouble()).ToArray();
            return row.Select(p => p / row.Sum()).ToArray();
        }).ToArray();
        var logProbs = Frames(probabilities);
        var (lm, _) = LanguageModelBuilder.Build([["A"], ["AB", "B"], ["B", "A", "AB"]], 2, Smoothing.WittenBell);
        var (alpha, beta) = (random.Next(3) * 0.7, random.Next(3) - 1.0);
        var options = new BeamSearchOptions(100_000, random.Next(2) == 0 ? lm : null, alpha, beta, TokenPruneLogProb: double.PositiveInfinity);

        var expected = new Dictionary<string, double>();
        for (int path = 0; path < (int)Math.Pow(v, frames); path++)
        {
            var tokens = Enumerable.Range(0, frames).Select(t => path / (int)Math.Pow(v, t) % v).ToArray();
            double p = Math.Exp(tokens.Select((token, t) => (double)logProbs[t][token]).Sum());
            var labelling = string.Join(",", GreedyDecoder.Collapse(tokens, Small.Blank));
            expected[labelling] = expected.GetValueOrDefault(labelling) + p;
        }
        double LmScore(string labelling)
        {
            if (options.LanguageModel is null) return 0;
            var words = Small.ToText(labelling.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var history = new List<string> { ArpaLanguageModel.SentenceStart };
            double score = 0;
            foreach (var word in words.Append(ArpaLanguageModel.SentenceEnd))
            {
                score += alpha * Math.Log(10) * lm.LogProb(history, word) + (word == ArpaLanguageModel.SentenceEnd ? 0 : beta);
                history.Add(word);
            }
            return score;
        }

        // Candidates no path reaches (path sums −∞) stay in a beam this wide; they are not labellings.
        var hypotheses = BeamSearchDecoder.Decode(logProbs, Small, options).Where(h => !double.IsNegativeInfinity(h.AcousticLogProb)).ToList();
        return hypotheses.Count == expected.Count
               && hypotheses.All(h => expected.TryGetValue(string.Join(",", h.Tokens), out var p)
                                      && Math.Abs(h.AcousticLogProb - Math.Log(p)) < 1e-9
                                      && Math.Abs(h.Score - (Math.Log(p) + LmScore(string.Join(",", h.Tokens)))) < 1e-9)
               && hypotheses.All(h => h.Score <= hypotheses[0].Score);
    }
}
