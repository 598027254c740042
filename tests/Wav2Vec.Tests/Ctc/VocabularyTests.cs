using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

public class VocabularyTests
{
    [Fact]
    public void EnglishMatchesTheHuggingFaceBase960hVocabulary()
    {
        var fixture = Vocabulary.Load(Path.Combine(CtcFixtures.Folder, "vocab.json"));
        Assert.Equal(fixture, Vocabulary.English);
        Assert.Equal(32, Vocabulary.English.Count);
        Assert.Equal(0, Vocabulary.English.Blank);
        Assert.Equal(4, Vocabulary.English.WordDelimiter);
        Assert.Equal(3, Vocabulary.English.Unknown);
        Assert.Equal("Z", Vocabulary.English.Tokens[31]);
    }

    [Fact]
    public void SaveThenLoadRoundTripsNonAsciiTokens()
    {
        var vocabulary = Vocabulary.FromTranscripts(["CHWARAE'N DDA", "ŴY Â CHI"]);
        var path = Path.GetTempFileName();
        try
        {
            vocabulary.Save(path);
            Assert.Contains("\"Ŵ\"", File.ReadAllText(path));
            Assert.Equal(vocabulary, Vocabulary.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FromTranscriptsOrdersLettersByFrequencyAfterTheSpecialTokens()
    {
        var vocabulary = Vocabulary.FromTranscripts(["DDA IAWN", "DA"]);
        Assert.Equal("<pad> <s> </s> <unk> | A D I N W", string.Join(" ", vocabulary.Tokens));
    }

    [Fact]
    public void FromTranscriptsKeepsACombiningAccentWithItsLetter()
    {
        var vocabulary = Vocabulary.FromTranscripts(["W\u0302"]);
        Assert.Equal("Ŵ", vocabulary.Tokens[^1]);
        Assert.Equal(6, vocabulary.Count);
    }

    [Fact]
    public void LoadRejectsAGapInIdsNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"<pad>": 0, "|": 2}""");
            var error = Assert.Throws<FormatException>(() => Vocabulary.Load(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("id 2", error.Message);
        }
        finally { File.Delete(path); }
    }
}
