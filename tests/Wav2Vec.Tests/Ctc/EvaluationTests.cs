using Wav2Vec.Ctc;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Ctc;

public class EvaluationTests
{
    [Fact]
    public void ReferencesAreNormalisedLikeTargetsAndWorstUtterancesComeFirst()
    {
        var result = Evaluation.Score(
        [
            ("u1", "The cat, sat!", "THE CAT SAT"),
            ("u2", "a dog ran home", "A DOG RAN"),
            ("u3", "big red sun", "BIG BED SUN SET"),
        ], TranscriptNormalizer.English);
        Assert.Equal(0, result.Utterances[0].Words.Errors);
        Assert.Equal("THE CAT SAT", result.Utterances[0].Reference);
        Assert.Equal(3.0 / 10, result.Wer, 12);
        Assert.Equal((1, 1, 1), (result.Words.Substitutions, result.Words.Deletions, result.Words.Insertions));
        Assert.Equal(["u3", "u2"], result.Worst(2).Select(u => u.Id));
    }
}
