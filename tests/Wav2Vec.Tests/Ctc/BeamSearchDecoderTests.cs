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
}
