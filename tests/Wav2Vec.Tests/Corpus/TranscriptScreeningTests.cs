using Wav2Vec.Corpus;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Corpus;

public class TranscriptScreeningTests
{
    static RecordedUtterance U(string id, string text) => new(id, $"/audio/{id}.ogg", "font_small", text);

    [Fact]
    public void UtterancesWithCharactersOutsideTheLettersAreLeftOutWholeAndTheCharactersCounted()
    {
        var result = TranscriptScreening.Screen([
            U("a", "Vítejte v našem městě!"), U("b", "Máme 20 ryb a 1 raka."), U("c", "Он сказал: да."), U("d", "..."),
        ], TranscriptNormalizer.For("cs"));
        Assert.Equal("vítejte|v|našem|městě", Assert.Single(result.Kept).Transcript.Letters);
        Assert.Equal([
            new ExcludedItem("b", ExclusionReason.OtherCharacters, "not cs letters: '2', '0', '1'"),
            new ExcludedItem("c", ExclusionReason.OtherCharacters, "not cs letters: 'О', 'н', 'с', 'к', 'а', 'з', 'л', 'д'"),
            new ExcludedItem("d", ExclusionReason.EmptyTranscript, "no words in \"...\""),
        ], result.Excluded);
        Assert.Equal(1, result.DroppedCharacters['1']);
        Assert.Equal(1, result.DroppedCharacters['2']);
        Assert.Equal(3, result.DroppedCharacters['а']);
        Assert.False(result.DroppedCharacters.ContainsKey('.'));
    }

    [Fact]
    public void ATranscriptFarTooLongForItsAudioIsFlaggedAndSlowSpeechIsNot()
    {
        HeldOutItem Item(string id, int letters, double seconds) => new(id, new string('a', letters), seconds);
        var items = new[] { Item("a", 20, 2), Item("b", 30, 3), Item("c", 10, 1.1), Item("beep", 21, 0.36), Item("letter-b", 1, 0.7) };
        var flagged = Assert.Single(TranscriptScreening.TooFastForTheirAudio(items));
        Assert.Equal("beep", flagged.Id);
        Assert.Equal(ExclusionReason.TooFast, flagged.Reason);
        Assert.StartsWith("58.3 letters/s in 0.36 s, over 2.5× the median of 10.0", flagged.Detail);
    }
}
