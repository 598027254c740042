using Wav2Vec.Text;

namespace Wav2Vec.Ctc;

/// <summary>One (α, β) point of an LM weight search and its scores on the tuning split.</summary>
public sealed record LmWeightPoint(double Alpha, double Beta, EvaluationResult Result);

/// <summary>
/// Grid search of the LM weight α and word-insertion bonus β for CTC beam search (the paper tunes both on dev).
/// The acoustic model runs once per utterance; every grid point re-decodes the cached log-probabilities.
/// Tune on dev, then report test with the chosen point — never tune on test.
/// </summary>
public static class LmWeightSearch
{
    /// <summary>α values tried by default.</summary>
    public static readonly IReadOnlyList<double> DefaultAlphas = [0.0, 0.25, 0.5, 1.0, 1.5, 2.0];

    /// <summary>β values tried by default.</summary>
    public static readonly IReadOnlyList<double> DefaultBetas = [-1.0, 0.0, 1.0, 2.0, 3.0];

    /// <summary>Beam width of the search by default (<c>lm tune</c>'s default).</summary>
    public const int DefaultBeamWidth = 20;

    /// <summary>
    /// Every (α, β) of the grid, scored on <paramref name="utterances"/>, best first (lowest WER, then CER, then
    /// smaller α). <paramref name="progress"/> receives each point as it is scored (one call at a time; in grid order when
    /// one point is decoded at a time); <paramref name="parallelism"/> points are decoded at once, the same result for any count.
    /// </summary>
    public static IReadOnlyList<LmWeightPoint> Run(CtcRecognizer recognizer, IEnumerable<(string Id, float[] Waveform, string Reference)> utterances,
        ITranscriptNormalizer normalizer, ArpaLanguageModel languageModel, int beamWidth,
        IReadOnlyList<double>? alphas = null, IReadOnlyList<double>? betas = null, Action<LmWeightPoint>? progress = null, int parallelism = 1)
    {
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), beamWidth, "The beam width must be at least 1.");
        return RunOnLogProbs(recognizer, utterances.Select(u => (u.Id, u.Reference, recognizer.LogProbs(u.Waveform))).ToList(), normalizer,
            languageModel, beamWidth, alphas, betas, progress, parallelism);
    }

    /// <summary>As <see cref="Run"/>, on log-probabilities <c>[T][V]</c> computed before (<see cref="Evaluation.LogProbsEach"/>).</summary>
    public static IReadOnlyList<LmWeightPoint> RunOnLogProbs(CtcRecognizer recognizer, IReadOnlyList<(string Id, string Reference, float[][] LogProbs)> utterances,
        ITranscriptNormalizer normalizer, ArpaLanguageModel languageModel, int beamWidth,
        IReadOnlyList<double>? alphas = null, IReadOnlyList<double>? betas = null, Action<LmWeightPoint>? progress = null, int parallelism = 1)
    {
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), beamWidth, "The beam width must be at least 1.");
        if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "At least one point must be decoded at a time.");
        if (utterances.Count == 0) throw new ArgumentException("The tuning split has no utterances.", nameof(utterances));
        var grid = (alphas ?? DefaultAlphas).SelectMany(alpha => (betas ?? DefaultBetas).Select(beta => (Alpha: alpha, Beta: beta))).ToList();
        var points = new LmWeightPoint[grid.Count];
        var gate = new Lock();
        void Score(int i)
        {
            var (alpha, beta) = grid[i];
            var point = new LmWeightPoint(alpha, beta, Evaluation.Decode(recognizer, utterances, normalizer, new DecodingOptions(beamWidth, languageModel, alpha, beta)));
            points[i] = point;
            lock (gate) progress?.Invoke(point);
        }
        if (parallelism == 1)
            for (int i = 0; i < grid.Count; i++) Score(i);
        else
            Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Score);
        return points.OrderBy(p => p.Result.Wer).ThenBy(p => p.Result.Cer).ThenBy(p => p.Alpha).ToList();
    }
}
