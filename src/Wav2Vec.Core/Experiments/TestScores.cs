using System.Text.Json;
using Wav2Vec.Ctc;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>A model's scores on a labelled split: rates as fractions (0.25 = 25 %) and how many utterances were scored and left out.</summary>
/// <param name="Cer">Character error rate.</param>
/// <param name="Wer">Word error rate.</param>
/// <param name="Scored">Utterances scored.</param>
/// <param name="Skipped">Utterances that could not be scored (each named when it was decoded), not counted in the rates.</param>
public sealed record SplitScores(double Cer, double Wer, int Scored, int Skipped)
{
    /// <summary>The scores of <paramref name="result"/>, an evaluation of a split of <paramref name="utterances"/> utterances.</summary>
    public static SplitScores Of(EvaluationResult result, int utterances) => new(result.Cer, result.Wer, result.Utterances.Count, utterances - result.Utterances.Count);
}

/// <summary>A model's test scores with beam search and a word n-gram LM, at the α and β tuned on dev.</summary>
/// <param name="Order">The LM's order.</param>
/// <param name="Alpha">LM weight α chosen on dev.</param>
/// <param name="Beta">Word-insertion bonus β chosen on dev.</param>
/// <param name="Dev">The dev scores at α, β (the best of the grid).</param>
/// <param name="Test">The test scores at α, β.</param>
public sealed record LmScores(int Order, double Alpha, double Beta, SplitScores Dev, SplitScores Test);

/// <summary>A fine-tuning run's trained model scored on its test split: greedily, and with a word n-gram LM when asked for.</summary>
/// <param name="Greedy">Greedy (best-path) scores.</param>
/// <param name="Lm">Scores with the LM, or null when none was asked for or the point has no dev split to tune on.</param>
public sealed record TestScores(SplitScores Greedy, LmScores? Lm);

/// <summary>A sweep point's greedy test scores (<see cref="TestScoring.Greedy"/>): rates as fractions.</summary>
/// <param name="Cer">Character error rate.</param>
/// <param name="Wer">Word error rate.</param>
/// <param name="FromTable">Read from the sweep's results table (the run is elsewhere) rather than scored from the run here.</param>
public sealed record GreedyTestScores(double Cer, double Wer, bool FromTable);

/// <summary>A sweep point's test scores, greedy and with a word LM (<see cref="TestScoring.WithLm"/>): rates as fractions.</summary>
/// <param name="Cer">Greedy character error rate.</param>
/// <param name="Wer">Greedy word error rate.</param>
/// <param name="CerLm">Character error rate with beam search and the LM, at <paramref name="Alpha"/>, <paramref name="Beta"/>.</param>
/// <param name="WerLm">Word error rate with beam search and the LM.</param>
/// <param name="Alpha">LM weight α chosen on dev.</param>
/// <param name="Beta">Word-insertion bonus β chosen on dev.</param>
/// <param name="FromTable">Read from the sweep's results table (the run is elsewhere) rather than scored from the run here.</param>
public sealed record LmTestScores(double Cer, double Wer, double CerLm, double WerLm, double Alpha, double Beta, bool FromTable);

/// <summary>What determines a run's greedy test scores.</summary>
/// <param name="Model">SHA-256 of the trained model's <see cref="ModelStamp"/> lines (config, weights, vocabulary) and its preprocessor config.</param>
/// <param name="Manifest">The test split's <c>.tsv</c>, as the description names it.</param>
/// <param name="Labels">SHA-256 of the test split's <c>.tsv</c>, <c>.wrd</c> and <c>.ltr</c>.</param>
/// <param name="Language">Transcript normalisation language.</param>
public sealed record TestScoreKey(string Model, string Manifest, string Labels, string Language);

/// <summary>What determines a run's LM scores besides its <see cref="TestScoreKey"/>.</summary>
/// <param name="Test">The greedy scores' key (model, test split, language).</param>
/// <param name="Order">LM order.</param>
/// <param name="Smoothing">LM smoothing.</param>
/// <param name="Transcripts">The training split's <c>.wrd</c> the LM is built from.</param>
/// <param name="TranscriptsHash">Its SHA-256.</param>
/// <param name="Dev">The dev split's <c>.tsv</c>, on which α and β are tuned.</param>
/// <param name="DevLabels">SHA-256 of the dev split's <c>.tsv</c>, <c>.wrd</c> and <c>.ltr</c>.</param>
/// <param name="BeamWidth">Beam width.</param>
/// <param name="Grid">The α and β values tried.</param>
public sealed record LmScoreKey(TestScoreKey Test, int Order, string Smoothing, string Transcripts, string TranscriptsHash, string Dev, string DevLabels,
    int BeamWidth, string Grid);

/// <summary>An audio file as it was when an utterance of it could not be scored: a changed stamp means it may score now.</summary>
/// <param name="Path">The file.</param>
/// <param name="Length">Its length in bytes, or -1 when it did not exist.</param>
/// <param name="LastWriteUtc">Its last write time (UTC ticks), or 0 when it did not exist.</param>
sealed record FileStamp(string Path, long Length, long LastWriteUtc)
{
    /// <summary>The stamp of <paramref name="path"/> now.</summary>
    public static FileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new(path, file.Length, file.LastWriteTimeUtc.Ticks) : new(path, -1, 0);
    }
}

/// <summary>
/// A run folder's <c>scores.json</c>: the greedy test scores and the LM scores (one per order) of its trained model, each
/// with its key. An entry counts only while its key equals what the scores would be computed from now and the audio files
/// of the utterances it left out are unchanged (a repaired file is scored again).
/// </summary>
/// <param name="Test">The greedy scores and their key, or null.</param>
/// <param name="Lm">The LM scores and their keys.</param>
sealed record ScoreCache(ScoreCache.Entry<TestScoreKey, SplitScores>? Test, IReadOnlyList<ScoreCache.Entry<LmScoreKey, LmScores>> Lm)
{
    /// <summary>Scores, the key they were computed for and the audio files of the utterances they left out.</summary>
    public sealed record Entry<TKey, TScores>(TKey Key, TScores Scores, IReadOnlyList<FileStamp>? LeftOut = null)
    {
        /// <summary>Every left-out file is as it was when the scores were computed.</summary>
        public bool Current => LeftOut is null || LeftOut.All(stamp => stamp == FileStamp.Of(stamp.Path));
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>No scores.</summary>
    public static readonly ScoreCache Empty = new(null, []);

    /// <summary>The greedy scores cached for <paramref name="key"/> while current, or null.</summary>
    public Entry<TestScoreKey, SplitScores>? Greedy(TestScoreKey key) => Test is { } entry && entry.Key == key && entry.Current ? entry : null;

    /// <summary>The LM scores cached for <paramref name="key"/> while current, or null.</summary>
    public Entry<LmScoreKey, LmScores>? WithLm(LmScoreKey key) => Lm.FirstOrDefault(e => e.Key == key && e.Current);

    /// <summary>
    /// The cache holding <paramref name="greedy"/> and <paramref name="lm"/>; LM entries of another order are kept while
    /// they belong to the same model and test split.
    /// </summary>
    public ScoreCache With(Entry<TestScoreKey, SplitScores> greedy, Entry<LmScoreKey, LmScores>? lm) => new(greedy,
        [.. Lm.Where(e => e.Key.Test == greedy.Key && e.Key.Order != lm?.Key.Order), .. lm is null ? [] : new[] { lm }]);

    /// <summary>
    /// Reads <paramref name="path"/>; a missing file is <see cref="Empty"/>, and so is an unreadable one (told to
    /// <paramref name="log"/>: its scores are computed again).
    /// </summary>
    public static ScoreCache Read(string path, Action<string> log)
    {
        if (!File.Exists(path)) return Empty;
        try
        {
            var cache = JsonSerializer.Deserialize<ScoreCache>(File.ReadAllText(path), Json);
            return cache is null ? Empty : cache with { Lm = cache.Lm ?? [] };
        }
        catch (JsonException e)
        {
            log($"{path}: unreadable ({e.Message}); scoring again.");
            return Empty;
        }
    }

    /// <summary>Writes the cache to <paramref name="path"/>, whole or not at all.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
