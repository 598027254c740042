using FsCheck.Xunit;
using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class AsteriskTranscriptTests
{
    static readonly Dictionary<string, string> Digits = new() { ["1"] = "uno", ["4"] = "cuatro", ["23"] = "veintitres" };

    [Fact]
    public void ParsingSkipsTheByteOrderMarkCommentsAndBlankLinesAndKeepsEmptyTranscripts()
    {
        var lines = AsteriskTranscript.Parse(["\uFEFF; Core Asterisk Sounds", "", "agent-pass: Por favor ingrese su contrasena", "dir-welcome:", "digits/1f: una"], "core.txt");
        Assert.Equal(
            [new PromptLine("agent-pass", "Por favor ingrese su contrasena", 3), new PromptLine("dir-welcome", "", 4), new PromptLine("digits/1f", "una", 5)],
            lines);
    }

    [Fact]
    public void ALineWithoutIdAndColonNamesFileAndLine()
    {
        var e = Assert.Throws<FormatException>(() => AsteriskTranscript.Parse(["a: b", "this line has no id"], "core-sounds-xx.txt.gz"));
        Assert.StartsWith("core-sounds-xx.txt.gz:2: expected 'id: text'", e.Message);
    }

    [Fact]
    public void NumberWordsComeFromPlainDigitPromptsOnly()
    {
        var words = AsteriskTranscript.NumberWords([
            new("digits/1", "uno", 1), new("digits/0", "cero", 2), new("digits/0", "diez", 3), new("digits/1f", "una", 4),
            new("digits/2000", "duemila... (data)", 5), new("digits/9", "Dollars.", 6), new("digits/7", "7", 7), new("vm-Cust1", "Carpeta 5", 8),
        ]);
        Assert.Equal(new Dictionary<string, string> { ["1"] = "uno", ["9"] = "Dollars" }, words);
    }

    [Theory]
    [InlineData("[ascending tones]", "[ascending tones]")]
    [InlineData("(1 second of silence)", "(1 second of silence)")]
    [InlineData("<beep ascending>", "<beep ascending>")]
    public void ARemarkAloneIsNotSpeech(string text, string detail) =>
        Assert.Equal(new CleanedPrompt(null, ExclusionReason.NotSpeech, detail, 0), AsteriskTranscript.Clean(text, Digits));

    [Theory]
    [InlineData("Sus saludos [temporales] estan en uso", "[temporales]")]
    [InlineData("La conferenza inizierà quando il nostro (enfatico) glorioso moderatore arriverà", "(enfatico)")]
    public void ARemarkInsideSpeechLeavesThePromptOut(string text, string detail) =>
        Assert.Equal(new CleanedPrompt(null, ExclusionReason.UncertainAnnotation, detail, 0), AsteriskTranscript.Clean(text, Digits));

    [Theory]
    [InlineData("dash [-]", "dash")]
    [InlineData("[!] punto esclamativo", "punto esclamativo")]
    [InlineData("Пробел [ ]", "Пробел")]
    public void ABracketHoldingOnlyTheSymbolIsDropped(string text, string spoken) =>
        Assert.Equal(spoken, AsteriskTranscript.Clean(text, Digits).Text);

    [Fact]
    public void NumbersAreSpelledWithThePackagesDigitPrompts()
    {
        var cleaned = AsteriskTranscript.Clean("Marque 1 para grabar, 23 o 4.", Digits);
        Assert.Equal(new CleanedPrompt("Marque uno para grabar, veintitres o cuatro.", null, "", 3), cleaned);
    }

    [Theory]
    [InlineData("llame al 500", "500")]
    [InlineData("un modem de 28.8 kilobits", "28.8")]
    [InlineData("un modem de 28Kilobit", "28Kilobit")]
    [InlineData("IAX2", "IAX2")]
    public void ANumberWithoutASpellingLeavesThePromptOut(string text, string number) =>
        Assert.Equal(new CleanedPrompt(null, ExclusionReason.NumberNotSpelled, number, 0), AsteriskTranscript.Clean(text, Digits));

    [Property(MaxTest = 200)]
    public bool EveryKnownNumberIsSpelledAndEveryWordKept(bool[] numberAt, int pick)
    {
        var keys = Digits.Keys.ToArray();
        var tokens = numberAt.Select((isNumber, i) => isNumber ? keys[Math.Abs((pick + i) % keys.Length)] : $"palabra{(char)('a' + i % 26)}").ToArray();
        var cleaned = AsteriskTranscript.Clean(string.Join(' ', tokens), Digits);
        return cleaned.Text == string.Join(' ', tokens.Select(t => Digits.GetValueOrDefault(t, t)))
            && cleaned.NumbersSpelled == numberAt.Count(n => n) && cleaned.Reason is null;
    }
}
