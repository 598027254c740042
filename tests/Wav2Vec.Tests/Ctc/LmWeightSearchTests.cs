using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Text;

namespace Wav2Vec.Tests.Ctc;

public class LmWeightSearchTests
{
    static readonly (string Id, float[] Waveform, string Reference)[] Utterances =
    [
        ("input", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), "the quick brown fox jumps over the lazy dog"),
        ("input2", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav")), "speech recognition without transcripts"),
    ];

    static ArpaLanguageModel Lm() => LanguageModelBuilder.Build(
        new[] { "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG", "SPEECH RECOGNITION WITHOUT TRANSCRIPTS", "THE DOG SLEEPS" }
            .Select(s => (IReadOnlyList<string>)s.Split(' ')), 2, Smoothing.WittenBell).Model;

    [Fact]
    public void EveryGridPointIsScoredBestFirstAndEachEqualsADirectEvaluationWithThoseWeights()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var lm = Lm();
        var seen = new List<LmWeightPoint>();
        var points = LmWeightSearch.Run(recognizer, Utterances, TranscriptNormalizer.English, lm, beamWidth: 4, [0.0, 2.0], [0.0, 1.5], seen.Add);

        Assert.Equal(4, points.Count);
        Assert.Equal(4, seen.Count);
        Assert.Equal([(0.0, 0.0), (0.0, 1.5), (2.0, 0.0), (2.0, 1.5)], seen.Select(p => (p.Alpha, p.Beta)));
        Assert.Equal(points.OrderBy(p => p.Result.Wer).ThenBy(p => p.Result.Cer).Select(p => p.Result.Wer), points.Select(p => p.Result.Wer));
        foreach (var point in points)
        {
            var direct = Evaluation.Run(recognizer, Utterances, TranscriptNormalizer.English, new DecodingOptions(4, lm, point.Alpha, point.Beta));
            Assert.Equal(direct.Utterances.Select(u => u.Hypothesis), point.Result.Utterances.Select(u => u.Hypothesis));
        }
    }

    [Fact]
    public void DecodingSeveralPointsAtOnceGivesTheSameRankingAsOneAtATime()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        var lm = Lm();
        var seen = new List<LmWeightPoint>();
        double[] alphas = [0.0, 0.5, 2.0], betas = [-1.0, 0.0, 1.5];
        var serial = LmWeightSearch.Run(recognizer, Utterances, TranscriptNormalizer.English, lm, 4, alphas, betas);
        var parallel = LmWeightSearch.Run(recognizer, Utterances, TranscriptNormalizer.English, lm, 4, alphas, betas, seen.Add, parallelism: 3);

        Assert.Equal(serial.Select(p => (p.Alpha, p.Beta, p.Result.Wer, p.Result.Cer)), parallel.Select(p => (p.Alpha, p.Beta, p.Result.Wer, p.Result.Cer)));
        Assert.Equal(serial.SelectMany(p => p.Result.Utterances.Select(u => u.Hypothesis)), parallel.SelectMany(p => p.Result.Utterances.Select(u => u.Hypothesis)));
        Assert.Equal(alphas.SelectMany(a => betas.Select(b => (a, b))).Order(), seen.Select(p => (p.Alpha, p.Beta)).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => LmWeightSearch.Run(recognizer, Utterances, TranscriptNormalizer.English, lm, 4, parallelism: 0));
    }

    [Fact]
    public void AnEmptyTuningSplitOrABeamBelowOneIsAnError()
    {
        using var recognizer = CtcRecognizer.Load(CtcFixtures.Folder);
        Assert.Throws<ArgumentException>(() => LmWeightSearch.Run(recognizer, [], TranscriptNormalizer.English, Lm(), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LmWeightSearch.Run(recognizer, Utterances, TranscriptNormalizer.English, Lm(), 0));
    }
}
