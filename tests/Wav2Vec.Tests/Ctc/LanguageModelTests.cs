using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

public class LanguageModelTests
{
    static readonly IReadOnlyList<string>[] TwoSentences = [["a", "b"], ["a", "c"]];

    static double P(ArpaLanguageModel lm, string word, params string[] context) => Math.Pow(10, lm.LogProb(context, word));

    /// <summary>
    /// Hand-worked: sentences "&lt;s&gt; a b &lt;/s&gt;", "&lt;s&gt; a c &lt;/s&gt;"; unigram counts a 2, b 1, c 1, &lt;/s&gt; 2 (C 6, T 4),
    /// vocabulary {a b c &lt;/s&gt; &lt;unk&gt;}. p(a) = (2 + 4/5)/10 = .28; history "a" (C 2, T 2): γ = .5,
    /// p(b|a) = (1 + 2·.18)/4 = .34; history &lt;s&gt;: p(a|&lt;s&gt;) = (2 + .28)/3 = .76.
    /// </summary>
    [Fact]
    public void WittenBellMatchesTheHandWorkedBigramModel()
    {
        var (lm, _) = LanguageModelBuilder.Build(TwoSentences, 2, Smoothing.WittenBell);
        Assert.Equal(0.28, P(lm, "a"), 6);
        Assert.Equal(0.08, P(lm, "<unk>"), 6);
        Assert.Equal(0.34, P(lm, "b", "a"), 6);
        Assert.Equal(0.76, P(lm, "a", "<s>"), 6);
        Assert.Equal(Math.Log10(0.5), lm.Ngrams["a"].BackOff, 9);
        Assert.Equal(0.5 * 0.28, P(lm, "a", "b"), 6);
    }

    /// <summary>
    /// Hand-worked with KenLM's fallback discounts .5/1/1.5 (the corpus is too small for Chen–Goodman's):
    /// continuation counts a 1, b 1, c 1, &lt;/s&gt; 2 (sum 5), γ = (.5·3 + 1)/5 = .5, so p(a) = .1 + .5/5 = .2
    /// and p(&lt;/s&gt;) = .2 + .1 = .3. History "a": b, c once each, p(b|a) = .5/2 + (1/2)·.2 = .35;
    /// history &lt;s&gt;: p(a|&lt;s&gt;) = (2−1)/2 + .5·.2 = .6.
    /// </summary>
    [Fact]
    public void KneserNeyMatchesTheHandWorkedBigramModel()
    {
        var (lm, report) = LanguageModelBuilder.Build(TwoSentences, 2, Smoothing.ModifiedKneserNey);
        Assert.All(report.Discounts, d => Assert.True(d.FellBack));
        Assert.Equal(0.2, P(lm, "a"), 6);
        Assert.Equal(0.3, P(lm, "</s>"), 6);
        Assert.Equal(0.1, P(lm, "zebra"), 6);
        Assert.Equal(0.35, P(lm, "b", "a"), 6);
        Assert.Equal(0.6, P(lm, "a", "<s>"), 6);
        Assert.Equal(Math.Log10(0.5), lm.Ngrams["a"].BackOff, 9);
        Assert.Equal(0.65, P(lm, "</s>", "b"), 6);
    }

    [Theory]
    [InlineData(Smoothing.ModifiedKneserNey, 3)]
    [InlineData(Smoothing.WittenBell, 3)]
    [InlineData(Smoothing.ModifiedKneserNey, 1)]
    public void ProbabilitiesSumToOneOverTheVocabularyForEveryContext(Smoothing smoothing, int order)
    {
        var (lm, _) = LanguageModelBuilder.Build(Corpus(), order, smoothing);
        var predictable = lm.Vocabulary.Where(w => w != "<s>").ToList();
        string[][] contexts = [[], ["<s>"], ["the"], ["<s>", "the"], ["the", "cat"], ["cat", "sat"], ["on", "unseen"], ["sat", "on", "the"]];
        foreach (var context in contexts)
            Assert.Equal(1.0, predictable.Sum(w => P(lm, w, context)), 5);
    }

    [Fact]
    public void ChenGoodmanDiscountsAreUsedWhenTheCountsDefineThem()
    {
        var (_, report) = LanguageModelBuilder.Build(Corpus(), 3, Smoothing.ModifiedKneserNey);
        Assert.False(report.Discounts[0].FellBack);
        var (d1, d2, d3, _) = report.Discounts[0];
        Assert.True(0 < d1 && d1 < d2 && d2 < d3 && d3 < 3, $"{d1} {d2} {d3}");
    }

    [Fact]
    public void WriteThenReadReproducesEveryProbability()
    {
        var (lm, _) = LanguageModelBuilder.Build(Corpus(), 3, Smoothing.ModifiedKneserNey);
        var path = Path.GetTempFileName();
        try
        {
            lm.Save(path);
            var text = File.ReadAllText(path);
            Assert.StartsWith("\\data\\\nngram 1=", text);
            Assert.EndsWith("\\end\\\n", text);
            var read = ArpaLanguageModel.Load(path);
            Assert.Equal(3, read.Order);
            Assert.Equal(lm.Ngrams.Keys.Order(), read.Ngrams.Keys.Order());
            foreach (var context in new[] { new[] { "<s>" }, ["the", "cat"], ["dog", "on"] })
                foreach (var word in lm.Vocabulary)
                    Assert.Equal(lm.LogProb(context, word), read.LogProb(context, word), tolerance: 1e-6);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void OnlyTheLastNMinusOneContextWordsCountAndWordsOfAnyLengthScore()
    {
        var (lm, _) = LanguageModelBuilder.Build(Corpus(), 3, Smoothing.ModifiedKneserNey);
        var long1 = new string('x', 300);
        Assert.Equal(lm.LogProb(["the", "cat"], "sat"), lm.LogProb(["<s>", "a", "dog", "the", "cat"], "sat"));
        // An unlisted word scores as <unk>, however long; an unlisted history backs off at no cost to the listed one.
        Assert.Equal(lm.LogProb(["the", "cat"], ArpaLanguageModel.UnknownWord), lm.LogProb(["the", "cat"], long1));
        Assert.Equal(lm.LogProb(["the"], "cat"), lm.LogProb([long1, "the"], "cat"));
        Assert.Equal(lm.Ngrams["the cat"].LogProb, lm.LogProb(["the"], "cat"));
        Assert.Equal(lm.Ngrams["the"].BackOff + lm.Ngrams["sat"].LogProb, lm.LogProb(["the"], "sat"));
    }

    [Fact]
    public void MalformedLineIsAnErrorNamingFileAndLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "\\data\\\nngram 1=1\n\n\\1-grams:\nminus-one\tthe\n\\end\\\n");
            var error = Assert.Throws<FormatException>(() => ArpaLanguageModel.Load(path));
            Assert.Contains($"{path}:5", error.Message);
        }
        finally { File.Delete(path); }
    }

    static IReadOnlyList<string>[] Corpus()
    {
        var lines = new[]
        {
            "the cat sat on the mat", "the dog sat on the log", "a cat and a dog", "the cat ate", "a dog ate the cat food",
            "the mat is on the floor", "on the log sat a frog", "the frog and the cat", "a cat sat", "the dog is a good dog",
            "the cat is a cat", "dog eat dog", "the log is old", "an old cat sat on an old mat", "the end",
        };
        return lines.Select(l => (IReadOnlyList<string>)l.Split(' ')).ToArray();
    }
}
