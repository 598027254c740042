using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Ctc;

public class CtcRecognizerTests
{
    [Fact]
    public void GreedyTranscriptionOfTheParityFixtureMatchesHuggingFace()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var expected = File.ReadAllText(Path.Combine(CtcFixtures.Folder, "expected", "greedy.txt")).TrimEnd('\n');
        var transcription = recognizer.Transcribe(Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")));
        Assert.Equal(expected, transcription.Text);
        Assert.Equal(145, transcription.Frames);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), transcription.Words.Select(w => w.Word));
        Assert.All(transcription.Words, w => Assert.InRange(w.EndSeconds, w.StartSeconds + 0.02, 145 * 0.02));
        Assert.Equal(expected.Replace(" ", ""), string.Concat(transcription.Characters.Select(c => c.Character)));
    }

    [Fact]
    public void BeamSearchOnTheFixtureScoresAtLeastAsWellAsTheBestPath()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var logProbs = recognizer.LogProbs(Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")));
        var greedy = recognizer.Decode(logProbs, DecodingOptions.Greedy);
        var beam = recognizer.Decode(logProbs, new DecodingOptions(BeamWidth: 16));
        // The random model is not peaky, so the most probable labelling may differ; it must score at least as well.
        Assert.True(beam.Score >= greedy.Score - 1e-6, $"beam {beam.Score} < best path {greedy.Score}");
    }

    [Fact]
    public void ForcedAlignmentOfAnyTranscriptSpellsItInOrder()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var tokenizer = new Tokenizer(recognizer.Vocabulary, TranscriptNormalizer.English);
        var (alignment, words) = recognizer.Align(Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")),
            "the quick brown fox jumps over the lazy dog", tokenizer);
        Assert.Equal(["THE", "QUICK", "BROWN", "FOX", "JUMPS", "OVER", "THE", "LAZY", "DOG"], words.Select(w => w.Word));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.EndSeconds <= p.Second.StartSeconds));
        Assert.Equal(145, alignment.Path.Length);
    }
}
