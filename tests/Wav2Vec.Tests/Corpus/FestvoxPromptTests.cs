using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class FestvoxPromptTests
{
    [Fact]
    public void PromptsLoseTheirStressMarksAndKeepTheirPunctuation()
    {
        var prompts = FestvoxRussian.ParsePrompts(["( ru_0006 \"Глаз+а ленивые, серо-карие.\" )", "", "( ru_0004 \"+Окна домов\" )"], "txt.done.data");
        Assert.Equal([new PromptLine("ru_0006", "Глаза ленивые, серо-карие.", 1), new PromptLine("ru_0004", "Окна домов", 3)], prompts);
    }

    [Fact]
    public void AMalformedLineNamesFileAndLine()
    {
        var e = Assert.Throws<FormatException>(() => FestvoxRussian.ParsePrompts(["( ru_0001 \"ok\" )", "ru_0002 missing brackets"], "etc/txt.done.data"));
        Assert.StartsWith("etc/txt.done.data:2: expected '( id \"text\" )'", e.Message);
    }
}
