using FsCheck.Xunit;
using Wav2Vec.Metrics;

namespace Wav2Vec.Tests.Ctc;

public class ErrorRateTests
{
    [Theory]
    [InlineData("the cat sat", "the cat sat", 3, 0, 0, 0)]
    [InlineData("the cat sat", "the bat sat", 2, 1, 0, 0)]
    [InlineData("the cat sat", "the sat", 2, 0, 1, 0)]
    [InlineData("the cat sat", "the cat sat down", 3, 0, 0, 1)]
    [InlineData("a b", "b c", 1, 0, 1, 1)]
    [InlineData("the cat", "", 0, 0, 2, 0)]
    [InlineData("", "the cat", 0, 0, 0, 2)]
    [InlineData("", "", 0, 0, 0, 0)]
    public void WordCountsFollowSclite(string reference, string hypothesis, int hits, int subs, int dels, int ins)
    {
        Assert.Equal(new ErrorCounts(hits, subs, dels, ins), ErrorRates.Words(reference, hypothesis));
    }

    [Fact]
    public void EmptyReferenceRatesAreZeroOrInfinite()
    {
        Assert.Equal(0, ErrorRates.Words("", "").Rate);
        Assert.Equal(double.PositiveInfinity, ErrorRates.Words("", "uh").Rate);
        Assert.Equal(1.0, ErrorRates.Words("hello world", "").Rate);
    }

    [Fact]
    public void CharacterRateCountsSpacesAndIgnoresOuterWhitespace()
    {
        // "ab cd" vs "abcd": one deleted space; 5 reference characters.
        var counts = ErrorRates.Characters("  ab   cd ", "abcd");
        Assert.Equal(new ErrorCounts(4, 0, 1, 0), counts);
        Assert.Equal(0.2, counts.Rate, 12);
    }

    [Fact]
    public void CorpusRateIsTotalErrorsOverTotalReferenceWords()
    {
        var (words, _) = ErrorRates.Corpus([("one", "two"), ("a b c d e f g h i j", "a b c d e f g h i j")]);
        Assert.Equal(1.0 / 11, words.Rate, 12);
    }

    [Property]
    public bool DistanceIsZeroExactlyForEqualSequences(int[] a, int[] b) =>
        (EditDistance.Distance(Small(a), Small(b)) == 0) == Small(a).SequenceEqual(Small(b)) && EditDistance.Distance(Small(a), Small(a)) == 0;

    [Property]
    public bool DistanceIsSymmetric(int[] a, int[] b) =>
        EditDistance.Distance(Small(a), Small(b)) == EditDistance.Distance(Small(b), Small(a));

    [Property]
    public bool DistanceSatisfiesTheTriangleInequality(int[] a, int[] b, int[] c) =>
        EditDistance.Distance(Small(a), Small(c)) <= EditDistance.Distance(Small(a), Small(b)) + EditDistance.Distance(Small(b), Small(c));

    [Property]
    public bool CountsAreConsistentWithBothLengths(int[] a, int[] b)
    {
        var counts = EditDistance.Align(Small(a), Small(b));
        return counts.ReferenceLength == a.Length && counts.Hits + counts.Substitutions + counts.Insertions == b.Length
               && counts.Errors >= Math.Abs(a.Length - b.Length);
    }

    /// <summary>Folds FsCheck integers into a 3-letter alphabet so sequences share items.</summary>
    static int[] Small(int[] xs) => xs.Select(x => (int)((uint)x % 3)).ToArray();
}
