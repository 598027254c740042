using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>What to score a finished fine-tuning run with besides greedy decoding.</summary>
/// <param name="LmOrder">Order of the word n-gram LM to decode with too, or null for greedy scores only.</param>
/// <param name="LmFolder">Where the LMs are kept (one per training transcripts, order and language), or null for the run's folder.</param>
public sealed record TestScoreOptions(int? LmOrder = null, string? LmFolder = null);

/// <summary>
/// Scores a finished fine-tuning run's trained model (<see cref="RunFolder.Trained"/>) on its description's test split,
/// as <c>./wav2vec evaluate</c> does: greedily, and with <see cref="TestScoreOptions.LmOrder"/> also with beam search and
/// a word n-gram LM built from the training split's transcripts (<see cref="LanguageModelBuilder"/>, modified
/// Kneser–Ney), its α and β tuned on the dev split (<see cref="LmWeightSearch"/> with its defaults) — never on test.
/// The scores are cached in the run's <see cref="RunFolder.Scores"/> with what determines them (<see cref="TestScoreKey"/>,
/// <see cref="LmScoreKey"/>), so scoring again with nothing changed decodes nothing, and a changed model or split scores afresh.
/// </summary>
public static class TestScoring
{
    /// <summary>Why <paramref name="point"/> has no test scores (not a fine-tuning run, or no test split), or null when it can have them.</summary>
    public static string? Unscorable(ExperimentDescription point) => point switch
    {
        not FinetuneExperiment => "not a fine-tuning run: there is no CTC model to transcribe with",
        { Corpus.Test: null } => "no test split (corpus.test is null)",
        _ => null,
    };

    /// <summary><paramref name="point"/> as a fine-tuning run that can have test scores.</summary>
    /// <exception cref="ArgumentException">It cannot (<see cref="Unscorable"/>), named with why.</exception>
    static FinetuneExperiment AsScorable(ExperimentDescription point) => Unscorable(point) is { } why
        ? throw new ArgumentException($"{point.Name}: no test scores: {why}.")
        : (FinetuneExperiment)point;

    /// <summary>Why <paramref name="point"/> gets no LM scores although it can have test scores (no dev split to tune α and β on), or null.</summary>
    public static string? Untunable(ExperimentDescription point) =>
        point.Corpus.Dev is null ? "no dev split to tune the LM weight and word bonus on (corpus.dev is null)" : null;

    /// <summary>
    /// The test scores of the finished run of <paramref name="point"/>, from its <c>scores.json</c> when they are there for
    /// the same model and splits, else decoded. Every utterance that cannot be scored goes to <paramref name="onFailure"/>
    /// and is left out (counted in <see cref="SplitScores.Skipped"/>); the cache keeps such scores with the stamps of the
    /// left-out audio files, so they are read back (the files named in the log) until one of those files changes, and
    /// then scored afresh. What is read or built goes to <paramref name="log"/>. A
    /// missing model, manifest or training transcripts, or a split of which no utterance can be scored, is an error naming
    /// the file.
    /// </summary>
    public static TestScores Score(FinetuneExperiment point, TestScoreOptions options, Action<string> log, Action<EvaluationFailure> onFailure)
    {
        AsScorable(point);
        var folder = Experiment.Folder(point);
        var model = folder.Trained;
        if (!Directory.Exists(model)) throw new DirectoryNotFoundException($"{model}: no trained model (best/ or final/) in run {point.Name}; run the point first.");
        var test = Manifest(point, point.Corpus.Test!, "corpus.test");
        var key = new TestScoreKey(Sha256(ModelStamp.OfFiles(ModelFiles(model))), test, Sha256(ModelStamp.OfFiles(SplitFiles(test))), point.Language);
        var lmKey = options.LmOrder is { } order && Untunable(point) is null ? LmKey(point, key, order) : null;

        var cache = ScoreCache.Read(folder.Scores, log);
        var (cachedGreedy, cachedLm) = (cache.Greedy(key), lmKey is null ? null : cache.WithLm(lmKey));
        if (cachedGreedy is not null && (lmKey is null || cachedLm is not null))
        {
            var leftOut = (cachedGreedy.LeftOut ?? []).Concat(cachedLm?.LeftOut ?? []).Select(f => f.Path).Distinct().ToList();
            log($"{point.Name}: test scores from {folder.Scores}" +
                (leftOut.Count > 0 ? $"; left out, files unchanged since: {string.Join(", ", leftOut)}" : ""));
            return new TestScores(cachedGreedy.Scores, cachedLm?.Scores);
        }
        var (greedy, lm) = (cachedGreedy?.Scores, cachedLm?.Scores);

        using var recognizer = CtcRecognizer.Load(model);
        var normalizer = TranscriptNormalizer.For(point.Language);
        var testSplit = FineTuning.Labelled(test);
        log($"{point.Name}: decoding {test} ({testSplit.Count} utterances) with {model}");
        var (testLeftOut, devLeftOut) = (new List<FileStamp>(), new List<FileStamp>());
        Action<EvaluationFailure> LeftOut(IReadOnlyList<LabelledUtterance> split, List<FileStamp> stamps) => failure =>
        {
            if (split.FirstOrDefault(u => u.Id == failure.Id) is { } utterance) stamps.Add(FileStamp.Of(utterance.AudioPath));
            onFailure(failure);
        };
        // The LM needs the test log-probabilities again after tuning; greedy scoring alone streams them.
        var logProbs = Evaluation.LogProbsEach(recognizer, Waveforms(testSplit), normalizer, LeftOut(testSplit, testLeftOut));
        if (lmKey is not null && lm is null) logProbs = Scorable(logProbs.ToList(), testSplit.Count, test);
        greedy ??= Scores(Evaluation.Decode(recognizer, logProbs, normalizer, DecodingOptions.Greedy), testSplit.Count, test);
        if (lmKey is not null && lm is null)
        {
            var languageModel = LanguageModel(lmKey, point.Language, options.LmFolder ?? folder.Path, log);
            var devSplit = FineTuning.Labelled(lmKey.Dev);
            var dev = Scorable(Evaluation.LogProbsEach(recognizer, Waveforms(devSplit), normalizer, LeftOut(devSplit, devLeftOut)).ToList(), devSplit.Count, lmKey.Dev);
            // As many grid points at a time as libtorch has threads (WAV2VEC_THREADS): the same choice for any count.
            var best = LmWeightSearch.RunOnLogProbs(recognizer, dev, normalizer, languageModel, lmKey.BeamWidth, parallelism: TorchSharp.torch.get_num_threads())[0];
            var withLm = Evaluation.Decode(recognizer, logProbs, normalizer, new DecodingOptions(lmKey.BeamWidth, languageModel, best.Alpha, best.Beta));
            lm = new LmScores(lmKey.Order, best.Alpha, best.Beta, SplitScores.Of(best.Result, devSplit.Count), SplitScores.Of(withLm, testSplit.Count));
            log($"{point.Name}: {lmKey.Order}-gram LM tuned on {lmKey.Dev}: alpha {best.Alpha}, beta {best.Beta}");
        }
        cache.With(cachedGreedy ?? new(key, greedy, testLeftOut), lmKey is null ? null : cachedLm ?? new(lmKey, lm!, [.. testLeftOut, .. devLeftOut]))
            .Write(folder.Scores);
        return new TestScores(greedy, lm);
    }

    /// <summary>
    /// The greedy test scores of a sweep point's result: for a result read back from a results table
    /// (<see cref="SweepResult.Recorded"/>, a run on another machine) the row's <c>test_cer</c> and <c>test_wer</c>, as
    /// <c>sweep --collect --score-test</c> wrote them; otherwise <see cref="Score"/> of its run here (cached in the run's
    /// folder). A table row without those cells is an error naming the run and how to add them.
    /// </summary>
    public static GreedyTestScores Greedy(SweepResult result, Action<string> log, Action<EvaluationFailure> onFailure)
    {
        var point = result.Point.Description;
        if (result.Recorded is null)
        {
            var greedy = Score(AsScorable(point), new TestScoreOptions(), log, onFailure).Greedy;
            return new GreedyTestScores(greedy.Cer, greedy.Wer, FromTable: false);
        }
        return result.Metrics.TryGetValue(ScoreColumn.TestCer, out var cer) && result.Metrics.TryGetValue(ScoreColumn.TestWer, out var wer)
            ? new GreedyTestScores(cer, wer, FromTable: true)
            : throw new InvalidOperationException($"{point.Name}: its results-table row has no test scores ({ScoreColumn.TestCer}, {ScoreColumn.TestWer}) and its run is not here; " +
                                                  "collect the sweep with --collect --score-test --merge where the run is.");
    }

    /// <summary>
    /// The test scores of a sweep point's result, greedy and with a word LM of <paramref name="options"/>' order (which must
    /// be set): for a result read back from a results table (<see cref="SweepResult.Recorded"/>) the row's cells, as
    /// <c>sweep --collect --lm N</c> wrote them; otherwise <see cref="Score"/> of its run here (cached in the run's folder).
    /// A table row without LM cells, or a point that cannot have LM scores, is an error naming it and how to add them.
    /// </summary>
    public static LmTestScores WithLm(SweepResult result, TestScoreOptions options, Action<string> log, Action<EvaluationFailure> onFailure)
    {
        if (options.LmOrder is null) throw new ArgumentException("LM scores need an LM order (TestScoreOptions.LmOrder).", nameof(options));
        var point = result.Point.Description;
        if (result.Recorded is null)
        {
            var finetune = AsScorable(point);
            if (Untunable(point) is { } why) throw new ArgumentException($"{point.Name}: no LM scores: {why}.");
            var scores = Score(finetune, options, log, onFailure);
            var lm = scores.Lm!;
            return new LmTestScores(scores.Greedy.Cer, scores.Greedy.Wer, lm.Test.Cer, lm.Test.Wer, lm.Alpha, lm.Beta, FromTable: false);
        }
        string[] columns = [ScoreColumn.TestCer, ScoreColumn.TestWer, ScoreColumn.TestCerLm, ScoreColumn.TestWerLm, ScoreColumn.LmAlpha, ScoreColumn.LmBeta];
        var cells = columns.Select(c => result.Metrics.TryGetValue(c, out var v) ? v : (double?)null).ToList();
        if (cells.Any(c => c is null))
            throw new InvalidOperationException($"{point.Name}: its results-table row has no LM scores ({string.Join(", ", columns.Where((_, i) => cells[i] is null))}) " +
                                                $"and its run is not here; collect the sweep with --collect --lm {options.LmOrder} --merge where the run is.");
        return new LmTestScores(cells[0]!.Value, cells[1]!.Value, cells[2]!.Value, cells[3]!.Value, cells[4]!.Value, cells[5]!.Value, FromTable: true);
    }

    static LmScoreKey LmKey(FinetuneExperiment point, TestScoreKey test, int order)
    {
        var corpus = point.Corpus;
        var transcripts = Path.ChangeExtension(ManifestFiles.TsvPath(corpus.Folder, corpus.Train), ".wrd");
        if (!File.Exists(transcripts))
            throw new FileNotFoundException(
                $"{transcripts}: no training transcripts (corpus.train '{corpus.Train}' of run {point.Name}) to build the word LM from.", transcripts);
        var dev = Manifest(point, corpus.Dev!, "corpus.dev");
        var grid = $"alpha {Numbers(LmWeightSearch.DefaultAlphas)}; beta {Numbers(LmWeightSearch.DefaultBetas)}";
        return new LmScoreKey(test, order, nameof(Smoothing.ModifiedKneserNey), transcripts, CheckpointChecksums.Hash(transcripts), dev,
            Sha256(ModelStamp.OfFiles(SplitFiles(dev))), LmWeightSearch.DefaultBeamWidth, grid);
    }

    /// <summary>
    /// The LM of <paramref name="key"/>: read from <paramref name="folder"/> when built before from the same transcripts
    /// (the file name holds their hash, the order and the language), else built, written there and read back, so a
    /// cached LM decodes exactly as a fresh one.
    /// </summary>
    static ArpaLanguageModel LanguageModel(LmScoreKey key, string language, string folder, Action<string> log)
    {
        var name = Path.GetFileNameWithoutExtension(key.Transcripts);
        var path = Path.Combine(folder, $"{name}-{key.Order}gram-{Sha256($"{key.TranscriptsHash} {key.Order} {key.Smoothing} {language}")[..16]}.arpa");
        if (!File.Exists(path))
        {
            var (model, report) = LanguageModelBuilder.BuildFromText(key.Transcripts, key.Order, Smoothing.ModifiedKneserNey, TranscriptNormalizer.For(language));
            model.Save(path);
            log($"{path}: {key.Order}-gram LM of the {report.Sentences} sentences of {key.Transcripts}");
        }
        return ArpaLanguageModel.Load(path);
    }

    static SplitScores Scores(EvaluationResult result, int utterances, string split) =>
        result.Utterances.Count > 0 ? SplitScores.Of(result, utterances) : throw NoneScored(split, utterances);

    static List<T> Scorable<T>(List<T> scorable, int utterances, string split) => scorable.Count > 0 ? scorable : throw NoneScored(split, utterances);

    /// <summary>A split of which no utterance can be scored is an error, lest it score as a rate of 0.</summary>
    static InvalidDataException NoneScored(string split, int utterances) =>
        new($"{split}: none of the {utterances} utterances can be scored (each named above).");

    static string Manifest(FinetuneExperiment point, string split, string field)
    {
        var tsv = ManifestFiles.TsvPath(point.Corpus.Folder, split);
        return File.Exists(tsv) ? tsv : throw new FileNotFoundException($"{tsv}: manifest not found ({field} '{split}' of run {point.Name}).", tsv);
    }

    static IEnumerable<(string Id, Func<float[]> Waveform, string Reference)> Waveforms(IEnumerable<LabelledUtterance> split) =>
        split.Select(u => (u.Id, (Func<float[]>)(() => AudioDecoder.Decode(u.AudioPath, DecodeOptions.Default)), u.Transcript));

    /// <summary>A model's files that decide its output: the <see cref="ModelStamp"/> files and its preprocessor config (whether audio is standardised).</summary>
    static IEnumerable<string> ModelFiles(string directory) =>
        ModelStamp.Files(directory).Concat(new[] { Path.Combine(directory, PreprocessorConfig.FileName) }.Where(File.Exists));

    static IEnumerable<string> SplitFiles(string tsv) => new[] { ".tsv", ".wrd", ".ltr" }.Select(e => Path.ChangeExtension(tsv, e)).Where(File.Exists);

    static string Numbers(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
