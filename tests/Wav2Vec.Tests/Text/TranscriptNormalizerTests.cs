using Wav2Vec.Text;

namespace Wav2Vec.Tests.Text;

public class TranscriptNormalizerTests
{
    [Fact]
    public void EnglishKeepsUpperCaseLettersAndApostrophesWithBarsBetweenWords()
    {
        var t = TranscriptNormalizer.Normalize("  Don't stop — the \"café\" is open!  ");
        Assert.Equal("DON'T|STOP|THE|CAFE|IS|OPEN", t.Letters);
        Assert.True(t.IsClean);
        Assert.Equal("D O N ' T | S T O P | T H E | C A F E | I S | O P E N |", t.ToLtr());
        Assert.Equal("DON'T STOP THE CAFE IS OPEN", t.ToWrd());
    }

    [Fact]
    public void EnglishReportsDigitsSymbolsAndForeignLettersInsteadOfDroppingThemSilently()
    {
        var t = TranscriptNormalizer.Normalize("Pay 30 € to Иван");
        Assert.Equal("PAY|TO", t.Letters);
        Assert.Equal(['3', '0', '€', 'И', 'в', 'а', 'н'], t.Unmapped);
        Assert.Contains("'€'", t.DescribeUnmapped());
    }

    [Fact]
    public void EnglishDropsOpeningQuoteApostrophesButKeepsPossessives()
    {
        Assert.Equal("HELLO|THE|DOGS'|BONES", TranscriptNormalizer.Normalize("'hello' the dogs' bones").Letters);
    }

    [Fact]
    public void WelshKeepsCircumflexLettersAsSingleLowerCaseLetters()
    {
        var t = TranscriptNormalizer.For("cy").Normalize("Ma\u0302'r DŴR yn oer");
        Assert.Equal("mâ'r|dŵr|yn|oer", t.Letters);
        Assert.True(t.IsClean);
    }

    [Fact]
    public void RussianKeepsCyrillicAndReportsLatin()
    {
        var t = TranscriptNormalizer.For("ru").Normalize("Привет, мир! OK");
        Assert.Equal("привет|мир", t.Letters);
        Assert.Equal(['O', 'K'], t.Unmapped);
    }

    [Fact]
    public void CzechUsesLatinScriptWithDiacritics()
    {
        Assert.Equal("příliš|žluťoučký|kůň", TranscriptNormalizer.For("cs").Normalize("Příliš žluťoučký KŮŇ.").Letters);
    }

    [Fact]
    public void GreekFoldsFinalSigma()
    {
        Assert.Equal("λογοσ", TranscriptNormalizer.For("el").Normalize("ΛΟΓΟΣ").Letters);
        Assert.Equal("λογοσ", TranscriptNormalizer.For("el").Normalize("λογος").Letters);
    }

    [Fact]
    public void ExplicitScriptSubtagOverridesTheLanguageDefault()
    {
        Assert.Equal("Latn", WritingScript.ForLanguage("sr-Latn").Name);
        Assert.Equal("Cyrl", WritingScript.ForLanguage("sr").Name);
        Assert.Equal("Latn", WritingScript.ForLanguage("cy").Name);
    }

    [Fact]
    public void EmptyLanguageTagIsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => TranscriptNormalizer.For(" "));
        Assert.Contains("language", e.Message);
    }

    [Fact]
    public void LtrLineParsesBackToLetters()
    {
        var t = TranscriptNormalizer.Normalize("it's a test");
        Assert.Equal(t.Letters, NormalizedTranscript.LettersFromLtr(t.ToLtr()));
    }

    [FsCheck.Xunit.Property]
    public bool EnglishOutputOnlyHoldsItsAlphabetAndNeverEmptyWords(string? text)
    {
        var t = TranscriptNormalizer.English.Normalize(text ?? "");
        return t.Letters.All(c => c == '|' || TranscriptNormalizer.English.IsLetter(c))
            && !t.Letters.StartsWith('|') && !t.Letters.EndsWith('|') && !t.Letters.Contains("||");
    }
}
