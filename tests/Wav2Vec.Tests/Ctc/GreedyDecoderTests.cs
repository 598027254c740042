using FsCheck.Xunit;
using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

public class GreedyDecoderTests
{
    [Fact]
    public void GreedyDecodingOfTheParityFixtureLogitsMatchesHuggingFace()
    {
        var logProbs = CtcFixtures.ReadLogProbs(Path.Combine(CtcFixtures.Folder, "expected", "logits.npy"));
        var expected = File.ReadAllText(Path.Combine(CtcFixtures.Folder, "expected", "greedy.txt")).TrimEnd('\n');
        Assert.Equal(145, logProbs.Length);
        Assert.Equal(expected, GreedyDecoder.Decode(logProbs, Vocabulary.English));
    }

    [Fact]
    public void CollapseMergesRepeatsButKeepsALetterRepeatedAcrossABlank()
    {
        // H H E <b> L L <b> L O  →  H E L L O
        Assert.Equal([11, 5, 15, 15, 8], GreedyDecoder.Collapse([11, 11, 5, 0, 15, 15, 0, 15, 8], blank: 0));
    }

    [Fact]
    public void DelimitersBecomeSpacesAndTheEndsAreStripped()
    {
        Assert.Equal("A  B", Vocabulary.English.ToText([4, 7, 4, 4, 24, 4]));
    }

    [Property]
    public bool CollapseNeverEmitsBlank(int[] path) =>
        !GreedyDecoder.Collapse(Tokens(path), blank: 0).Contains(0);

    [Property]
    public bool CollapseIsNoLongerThanThePath(int[] path) =>
        GreedyDecoder.Collapse(Tokens(path), blank: 0).Length <= path.Length;

    [Property]
    public bool CollapseIsIdempotentOnItsOutput(int[] path)
    {
        var once = GreedyDecoder.Collapse(Tokens(path), blank: 0);
        // As a path, the output only keeps its doubled letters if a blank separates them (the CTC spelling).
        var spelt = once.SelectMany((t, i) => i > 0 && once[i - 1] == t ? new[] { 0, t } : [t]).ToArray();
        bool hasDoubles = once.Where((t, i) => i > 0 && once[i - 1] == t).Any();
        return GreedyDecoder.Collapse(spelt, blank: 0).SequenceEqual(once)
               && (hasDoubles || GreedyDecoder.Collapse(once, blank: 0).SequenceEqual(once));
    }

    [Property]
    public bool CollapseNeverEmitsEqualNeighboursThatNoBlankSeparated(int[] path)
    {
        var tokens = Tokens(path);
        var output = GreedyDecoder.Collapse(tokens, blank: 0);
        // Walk the path: every emitted pair of equal neighbours must have a blank between their runs.
        int emitted = 0, previous = -1;
        bool blankSinceLastEmission = false;
        for (int t = 0; t < tokens.Length; t++)
        {
            int token = tokens[t];
            if (token == 0) { blankSinceLastEmission = true; previous = 0; continue; }
            if (token == previous) continue;
            if (emitted > 0 && output[emitted - 1] == token && !blankSinceLastEmission) return false;
            emitted++;
            previous = token;
            blankSinceLastEmission = false;
        }
        return emitted == output.Length;
    }

    [Property]
    public bool GreedyRecoversAnyTextFromAnyPathThatExpandsIt(int seed)
    {
        var random = new Random(seed);
        var vocabulary = Vocabulary.English;
        var tokens = CtcFixtures.RandomTokens(random, vocabulary.Count, 20);
        var path = CtcFixtures.Expand(tokens, vocabulary.Blank, random);
        var logProbs = CtcFixtures.Peaky(path, vocabulary.Count, 0.6, random);
        return GreedyDecoder.DecodeIds(logProbs, vocabulary.Blank).SequenceEqual(tokens)
               && GreedyDecoder.Decode(logProbs, vocabulary) == vocabulary.ToText(tokens);
    }

    /// <summary>FsCheck integers folded into token ids 0..5 so blanks and repeats are common.</summary>
    static int[] Tokens(int[] path) => path.Select(x => (int)((uint)x % 6)).ToArray();
}
