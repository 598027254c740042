using Wav2Vec.Ctc;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Ctc;

public class TokenizerTests
{
    readonly Tokenizer tokenizer = new(Vocabulary.English, TranscriptNormalizer.English);

    [Fact]
    public void EncodeJoinsNormalisedWordsWithTheDelimiterAndNoneAtTheEnds()
    {
        var ids = tokenizer.Encode("  The  cat! ");
        Assert.Equal([6, 11, 5, 4, 19, 7, 6], ids);
        Assert.Equal("THE CAT", tokenizer.Decode(ids));
    }

    [Fact]
    public void UnnormalisableCharacterIsAnErrorNamingTheUtterance()
    {
        var error = Assert.Throws<FormatException>(() => tokenizer.Encode("route 66", "spk1-0042"));
        Assert.Contains("spk1-0042", error.Message);
        Assert.Contains("'6'", error.Message);
    }

    [Fact]
    public void LetterMissingFromTheVocabularyIsAnErrorNamingTheUtteranceAndCodePoint()
    {
        var welsh = new Tokenizer(Vocabulary.FromTranscripts(["da iawn"], TranscriptNormalizer.For("cy")), TranscriptNormalizer.For("cy"));
        var error = Assert.Throws<FormatException>(() => welsh.Encode("dŵr", "cy-0007"));
        Assert.Contains("cy-0007", error.Message);
        Assert.Contains("U+0175", error.Message);
    }

    [Fact]
    public void LetterMissingFromTheVocabularyMapsToUnkWhenTheCallerAsks()
    {
        var welsh = new Tokenizer(Vocabulary.FromTranscripts(["da iawn"], TranscriptNormalizer.For("cy")), TranscriptNormalizer.For("cy"),
            UnknownCharacters.MapToUnknown);
        Assert.Equal("d<unk>", welsh.Decode(welsh.Encode("dŵ")));
    }
}
