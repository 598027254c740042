using FsCheck.Xunit;
using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

public class ForcedAlignerTests
{
    [Fact]
    public void AlignmentOfAPeakyPathRecoversThatPathAndItsSpans()
    {
        // T T H E | | C A A  (ids 6 6 11 5 4 4 19 7 7), a blank between E and |.
        int[] path = [6, 6, 11, 5, 0, 4, 4, 19, 7, 7];
        var logProbs = CtcFixtures.Peaky(path, 32, 0.9, new Random(1));
        var alignment = ForcedAligner.Align(logProbs, [6, 11, 5, 4, 19, 7], blank: 0);
        Assert.Equal(path, alignment.Path);
        Assert.Equal([(6, 0, 2), (11, 2, 3), (5, 3, 4), (4, 5, 7), (19, 7, 8), (7, 8, 10)],
            alignment.Spans.Select(s => (s.Token, s.Start, s.End)));
        Assert.All(alignment.Spans, s => Assert.Equal(0.9, s.Score, 5));
        Assert.Equal(10 * Math.Log(0.9), alignment.LogProbability, 4);

        var words = Timestamps.Words(alignment.Spans, Vocabulary.English);
        Assert.Equal([("THE", 0.0, 0.08), ("CA", 0.14, 0.2)], words.Select(w => (w.Word, Math.Round(w.StartSeconds, 6), Math.Round(w.EndSeconds, 6))));
        var characters = Timestamps.Characters(alignment.Spans, Vocabulary.English);
        Assert.Equal([("T", 0.0, 0.04), ("H", 0.04, 0.06), ("E", 0.06, 0.08), ("C", 0.14, 0.16), ("A", 0.16, 0.2)],
            characters.Select(c => (c.Character, Math.Round(c.StartSeconds, 6), Math.Round(c.EndSeconds, 6))));
    }

    [Fact]
    public void DoubledLetterNeedsABlankFrameBetween()
    {
        var logProbs = CtcFixtures.Peaky([15, 15, 15], 32, 0.9, new Random(2));
        var alignment = ForcedAligner.Align(logProbs, [15, 15], blank: 0);
        Assert.Equal([15, 0, 15], alignment.Path);
    }

    [Fact]
    public void TooFewFramesIsAnErrorNamingTheUtterance()
    {
        var logProbs = CtcFixtures.Peaky([15, 15], 32, 0.9, new Random(2));
        var error = Assert.Throws<ArgumentException>(() => ForcedAligner.Align(logProbs, [15, 15], 0, "book-07"));
        Assert.Contains("book-07", error.Message);
        Assert.Contains("needs at least 3", error.Message);
    }

    [Property]
    public bool AlignedPathCollapsesToTheTargetWithOrderedDisjointSpans(int seed)
    {
        var random = new Random(seed);
        var target = CtcFixtures.RandomTokens(random, 8, 10);
        var frames = CtcFixtures.Expand(target, 0, random).Length + random.Next(4);
        var logProbs = LogProbs.FromLogits(Enumerable.Range(0, frames)
            .Select(_ => Enumerable.Range(0, 8).Select(_ => (float)(3 * random.NextDouble())).ToArray()).ToArray());
        var alignment = ForcedAligner.Align(logProbs, target, blank: 0);
        var spans = alignment.Spans;
        return alignment.Path.Length == frames
               && GreedyDecoder.Collapse(alignment.Path, 0).SequenceEqual(target)
               && spans.Select(s => s.Token).SequenceEqual(target)
               && spans.All(s => s.Start < s.End)
               && spans.Zip(spans.Skip(1)).All(p => p.First.End <= p.Second.Start)
               && Math.Abs(alignment.LogProbability - alignment.Path.Select((v, t) => (double)logProbs[t][v]).Sum()) < 1e-6;
    }

    [Property]
    public bool AlignmentScoresAtLeastAsWellAsAnyOtherPathSpellingTheTarget(int seed)
    {
        var random = new Random(seed);
        var target = CtcFixtures.RandomTokens(random, 6, 6);
        var other = CtcFixtures.Expand(target, 0, random);
        var logProbs = LogProbs.FromLogits(other.Select(_ => Enumerable.Range(0, 6).Select(_ => (float)(4 * random.NextDouble())).ToArray()).ToArray());
        double otherScore = other.Select((v, t) => (double)logProbs[t][v]).Sum();
        return ForcedAligner.Align(logProbs, target, 0).LogProbability >= otherScore - 1e-9;
    }
}
