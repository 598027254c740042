using Wav2Vec.Analysis;
using Wav2Vec.Ctc;
using Wav2Vec.Tests.Ctc;

namespace Wav2Vec.Tests.Analysis;

public class FrameLettersTests
{
    // English vocabulary ids: 0 blank, 4 |, 5 E, 6 T, 11 H, 19 C, 7 A.
    // Frames: blank T T H E blank | | C blank A A blank
    static readonly int[] PathWithBlanks = [0, 6, 6, 11, 5, 0, 4, 4, 19, 0, 7, 7, 0];
    static readonly int[] Target = [6, 11, 5, 4, 19, 7];

    static Alignment Aligned() =>
        ForcedAligner.Align(CtcFixtures.Peaky(PathWithBlanks, 32, 0.9, new Random(3)), Target, blank: 0);

    [Fact]
    public void FramesInsideASpanCarryItsLetterAndBlankFramesNone()
    {
        var alignment = Aligned();
        var labels = FrameLetters.FromAlignment(alignment, Vocabulary.English);
        Assert.Equal(["·", "T", "T", "H", "E", "·", "|", "|", "C", "·", "A", "A", "·"], labels.Select(l => l ?? "·"));
        foreach (var span in alignment.Spans)
            for (var t = span.Start; t < span.End; t++)
                Assert.Equal(Vocabulary.English.Tokens[span.Token], labels[t]);
    }

    [Fact]
    public void PreviousLetterFillsBlanksWithTheSegmentTheyLieIn()
    {
        var labels = FrameLetters.FromAlignment(Aligned(), Vocabulary.English, BlankFrames.PreviousLetter);
        Assert.Equal(["T", "T", "T", "H", "E", "E", "|", "|", "C", "C", "A", "A", "A"], labels.Select(l => l ?? "·"));
    }

    [Fact]
    public void SpanOutsideTheFramesIsAnErrorNamingTheToken()
    {
        var alignment = new Alignment([0, 5], [new TokenSpan(5, 1, 3, 1)], 0);
        var error = Assert.Throws<ArgumentException>(() => FrameLetters.FromAlignment(alignment, Vocabulary.English));
        Assert.Contains("token 5", error.Message);
        Assert.Contains("2 frames", error.Message);
    }
}
