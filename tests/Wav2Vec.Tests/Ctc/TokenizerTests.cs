using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

public class TokenizerTests
{
    readonly Tokenizer tokenizer = new(Vocabulary.English, CtcFixtures.Upper);

    [Fact]
    public void EncodeJoinsWordsWithTheDelimiterAndNoneAtTheEnds()
    {
        var ids = tokenizer.Encode("  the  cat ");
        Assert.Equal([6, 11, 5, 4, 19, 7, 6], ids);
        Assert.Equal("THE CAT", tokenizer.Decode(ids));
    }

    [Fact]
    public void UnknownCharacterIsAnErrorNamingTheUtteranceAndCodePoint()
    {
        var error = Assert.Throws<FormatException>(() => tokenizer.Encode("naïve", "spk1-0042"));
        Assert.Contains("spk1-0042", error.Message);
        Assert.Contains("U+00CF", error.Message);
    }

    [Fact]
    public void UnknownCharacterMapsToUnkWhenTheCallerAsks()
    {
        var lenient = tokenizer with { Unknown = UnknownCharacters.MapToUnknown };
        Assert.Equal([9, 7, 3, 25, 5], lenient.Encode("naïve"));
    }
}
