using FsCheck.Xunit;
using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class SynthesisPlanTests
{
    [Property(MaxTest = 50)]
    public bool SentencesAreSharedWithoutOverlapBetweenSplits(ushort count, long seed)
    {
        var sentences = Enumerable.Range(0, 1 + count % 500).Select(i => $"sentence {i}").ToArray();
        var shares = SynthesisPlan.ShareSentences(sentences, seed);
        var all = shares.Values.SelectMany(s => s).ToArray();
        return all.Length == sentences.Length && all.Distinct().Count() == all.Length
            && !shares["train"].Intersect(shares["dev"].Concat(shares["test"])).Any();
    }

    [Fact]
    public void JobsAreDeterministicRotateVoicesAndJitterWithinBounds()
    {
        Voice[] voices = [new("a", "1"), new("a", "2"), new("b", "1")];
        string[] sentences = ["one two three four", "five six seven eight"];
        var options = new CorpusOptions("/tmp/x", Seed: 4);
        var jobs = Enumerable.Range(0, 12).Select(i => SynthesisPlan.Job("train", i, voices, sentences, options)).ToArray();
        Assert.Equal(jobs, Enumerable.Range(0, 12).Select(i => SynthesisPlan.Job("train", i, voices, sentences, options)));
        Assert.All(jobs, j => Assert.InRange(j.Speed, 0.85, 1.15));
        Assert.All(jobs, j => Assert.InRange(j.Pitch, 0.85, 1.15));
        Assert.All(voices, v => Assert.Equal(4, jobs.Count(j => j.Voice == v)));
        // Once the sentences are used up they are re-read, shifted, by another voice.
        Assert.Equal(jobs[1].Text, jobs[2].Text);
        Assert.NotEqual(jobs[1].Voice, jobs[2].Voice);
    }

    [Fact]
    public void SmallCorporaStillGetUsableDevAndTestSets()
    {
        Assert.Equal(30, SynthesisPlan.HeldOutSeconds(120));
        Assert.Equal(300, SynthesisPlan.HeldOutSeconds(3600));
        Assert.Equal(1800, SynthesisPlan.HeldOutSeconds(36_000));
    }
}
