using System.Collections.Immutable;
using System.Reactive.Linq;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Experiments;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class TestScoringTests : IDisposable
{
    readonly string corpus = LabelledCorpusWithTest();

    public void Dispose() => Directory.Delete(corpus, true);

    /// <summary>A labelled tiny corpus with a <c>test</c> split of four utterances (train utterances 3–6; the first three are dev).</summary>
    internal static string LabelledCorpusWithTest()
    {
        var folder = TinyCorpus.Create(labelled: true);
        var train = ManifestFiles.Read(folder, "train");
        ManifestFiles.Write(folder, "test", train with { Entries = train.Entries.Skip(3).Take(4).ToList() });
        return folder;
    }

    /// <summary>A micro fine-tuning point on <paramref name="corpus"/> with its test split, from a micro pre-trained model.</summary>
    internal static FinetuneExperiment Point(string corpus, string name = "scored") =>
        FinetuneExperimentRunTests.Micro(corpus, FinetuneExperimentRunTests.MicroPretrained(corpus), name) with
        {
            Corpus = new CorpusSpec { Folder = corpus, Train = "train", Dev = "dev", Test = "test" },
        };

    /// <summary>The scores of <paramref name="model"/> on a split as <c>./wav2vec evaluate</c> computes them (its decoding and failure handling).</summary>
    internal static EvaluationResult Evaluate(string model, string tsv, DecodingOptions options, List<EvaluationFailure>? failures = null)
    {
        using var recognizer = CtcRecognizer.Load(model);
        return Evaluation.RunEach(recognizer,
            FineTuning.Labelled(tsv).Select(u => (u.Id, (Func<float[]>)(() => AudioDecoder.Decode(u.AudioPath, new DecodeOptions(MaxSeconds: 60))), u.Transcript)),
            TranscriptNormalizer.For("en"), options, f => failures?.Add(f));
    }

    static async Task<FinetuneExperiment> Trained(FinetuneExperiment point)
    {
        await SweepRuns.Run(point).ToList();
        return point;
    }

    static TestScores Score(FinetuneExperiment point, TestScoreOptions options, List<EvaluationFailure> failures) =>
        TestScoring.Score(point, options, _ => { }, failures.Add);

    string Split(string name) => ManifestFiles.TsvPath(corpus, name);

    [Fact]
    public async Task WithAnLmAlphaAndBetaAreTunedOnDevAndTestIsDecodedWithThemAsLmBuildTuneAndEvaluateDoByHand()
    {
        var point = await Trained(Point(corpus));
        var lmFolder = Path.Combine(corpus, "results", "lm-cache");
        var failures = new List<EvaluationFailure>();
        var scores = Score(point, new TestScoreOptions(2, lmFolder), failures);

        // By hand: lm build --text train.wrd --order 2, lm tune on dev, evaluate test with the best alpha and beta.
        var arpa = Path.Combine(corpus, "by-hand.arpa");
        LanguageModelBuilder.BuildFromText(Path.Combine(corpus, "train.wrd"), 2, Smoothing.ModifiedKneserNey, TranscriptNormalizer.For("en")).Model.Save(arpa);
        var lm = ArpaLanguageModel.Load(arpa);
        var model = Experiment.Folder(point).Trained;
        LmWeightPoint best;
        using (var recognizer = CtcRecognizer.Load(model))
            best = LmWeightSearch.Run(recognizer, FineTuning.Labelled(Split("dev")).Select(u => u.Decode()), TranscriptNormalizer.For("en"), lm,
                LmWeightSearch.DefaultBeamWidth)[0];
        var test = Evaluate(model, Split("test"), new DecodingOptions(LmWeightSearch.DefaultBeamWidth, lm, best.Alpha, best.Beta));
        var greedy = Evaluate(model, Split("test"), DecodingOptions.Greedy);

        Assert.Empty(failures);
        Assert.NotNull(scores.Lm);
        Assert.Contains(scores.Lm.Alpha, LmWeightSearch.DefaultAlphas);
        Assert.Contains(scores.Lm.Beta, LmWeightSearch.DefaultBetas);
        Assert.Equal((best.Alpha, best.Beta), (scores.Lm.Alpha, scores.Lm.Beta));
        Assert.Equal(best.Result.Wer, scores.Lm.Dev.Wer, 1e-9);
        Assert.Equal(new SplitScores(test.Cer, test.Wer, 4, 0), scores.Lm.Test);
        Assert.Equal(new SplitScores(greedy.Cer, greedy.Wer, 4, 0), scores.Greedy);

        var result = new SweepResult(0, new SweepPoint<ExperimentDescription>(point, ImmutableSortedDictionary<string, string>.Empty) { Name = "p" }, 6, 1,
            ImmutableSortedDictionary<string, double>.Empty) { Scores = scores };
        var table = SweepTable.Of([result], ScoreColumns.WithLm);
        Assert.Equal(["test_cer", "test_wer", "test_cer_lm", "test_wer_lm", "lm_alpha", "lm_beta", "dev_wer_lm", "test_skipped"], table.Header.TakeLast(8));
        Assert.Equal(new[] { greedy.Cer, greedy.Wer, test.Cer, test.Wer, best.Alpha, best.Beta, best.Result.Wer, 0 },
            table.Rows[0].TakeLast(8).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)));

        // Nothing changed: the scores come from the run folder and the LM from its cache, without a file of audio.
        var built = Assert.Single(Directory.GetFiles(lmFolder, "*.arpa"));
        var (cache, arpaTime) = (File.ReadAllText(Experiment.Folder(point).Scores), File.GetLastWriteTimeUtc(built));
        foreach (var wav in Directory.GetFiles(Path.Combine(corpus, "audio"))) File.Delete(wav);
        Assert.Equal(scores, Score(point, new TestScoreOptions(2, lmFolder), failures));
        Assert.Equal(new LmTestScores(greedy.Cer, greedy.Wer, test.Cer, test.Wer, best.Alpha, best.Beta, FromTable: false),
            TestScoring.WithLm(result, new TestScoreOptions(2, lmFolder), _ => { }, failures.Add));
        Assert.Equal(scores with { Lm = null }, Score(point, new TestScoreOptions(), failures));
        Assert.Empty(failures);
        Assert.Equal(cache, File.ReadAllText(Experiment.Folder(point).Scores));
        Assert.Equal(arpaTime, File.GetLastWriteTimeUtc(built));

        // Another order must decode again; with the audio gone no utterance scores, which is an error, not a rate of 0.
        var e = Assert.Throws<InvalidDataException>(() => Score(point, new TestScoreOptions(3, lmFolder), failures));
        Assert.StartsWith($"{Split("test")}: none of the 4 utterances can be scored", e.Message);
        Assert.Equal(4, failures.Count);
        Assert.All(failures, f => Assert.Contains(Path.Combine(corpus, "audio"), f.Error.Message));
        Assert.Equal(cache, File.ReadAllText(Experiment.Folder(point).Scores));
    }

    [Fact]
    public async Task AnUtteranceThatCannotBeScoredIsNamedAndCountedAndItsScoresAreCachedUntilItsFileChanges()
    {
        var point = await Trained(Point(corpus));
        var broken = FineTuning.Labelled(Split("test"))[1].AudioPath;
        var audio = File.ReadAllBytes(broken);
        File.WriteAllBytes(broken, [1, 2, 3, 4]);
        var failures = new List<EvaluationFailure>();
        var scores = Score(point, new TestScoreOptions(), failures);

        var reference = Evaluate(Experiment.Folder(point).Trained, Split("test"), DecodingOptions.Greedy);
        Assert.Equal(new SplitScores(reference.Cer, reference.Wer, 3, 1), scores.Greedy);
        Assert.Contains(broken, Assert.Single(failures).Error.Message);

        // Read back while the file is as it was, and the file named again in the log.
        var log = new List<string>();
        failures.Clear();
        Assert.Equal(scores, TestScoring.Score(point, new TestScoreOptions(), log.Add, failures.Add));
        Assert.Empty(failures);
        Assert.Contains(log, line => line.Contains("test scores from") && line.Contains(broken));

        // Repaired: scored afresh, every utterance counted.
        File.WriteAllBytes(broken, audio);
        var repaired = Score(point, new TestScoreOptions(), failures);
        var whole = Evaluate(Experiment.Folder(point).Trained, Split("test"), DecodingOptions.Greedy);
        Assert.Equal(new SplitScores(whole.Cer, whole.Wer, 4, 0), repaired.Greedy);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task AMissingTestManifestIsAnErrorNamingIt()
    {
        var point = await Trained(Point(corpus));
        File.Delete(Split("test"));
        var e = Assert.Throws<FileNotFoundException>(() => Score(point, new TestScoreOptions(), []));
        Assert.StartsWith($"{Split("test")}: manifest not found (corpus.test 'test' of run scored)", e.Message);
    }

    [Fact]
    public async Task ASweepResultIsScoredFromItsRunHereOrTakesTheScoresItsTableRowRecorded()
    {
        var point = await Trained(Point(corpus));
        var sweepPoint = new SweepPoint<ExperimentDescription>(point, ImmutableSortedDictionary<string, string>.Empty) { Name = "scored" };
        var here = SweepResult.Of(0, sweepPoint, []);
        var scored = TestScoring.Greedy(here, _ => { }, _ => { });
        var greedy = Score(point, new TestScoreOptions(), []).Greedy;
        Assert.Equal(new GreedyTestScores(greedy.Cer, greedy.Wer, FromTable: false), scored);

        // A row of another machine's table: its cells, although no run folder holds the point here.
        var elsewhere = new SweepPoint<ExperimentDescription>(Point(corpus, "elsewhere"), ImmutableSortedDictionary<string, string>.Empty) { Name = "elsewhere" };
        var row = new Dictionary<string, string> { ["run"] = "elsewhere", ["test_cer"] = "0.25", ["test_wer"] = "0.75" };
        var recorded = new SweepResult(1, elsewhere, 1000, 60, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [new KeyValuePair<string, double>("test_cer", 0.25), new("test_wer", 0.75)])) { Recorded = row };
        Assert.False(Directory.Exists(Experiment.Folder(elsewhere.Description).Path));
        Assert.Equal(new GreedyTestScores(0.25, 0.75, FromTable: true), TestScoring.Greedy(recorded, _ => { }, _ => { }));

        // With the LM: the row's LM cells; a row collected greedily only names what it lacks.
        var withLm = recorded with
        {
            Metrics = recorded.Metrics.AddRange([new("test_cer_lm", 0.2), new("test_wer_lm", 0.5), new("lm_alpha", 1.0), new("lm_beta", 2.0)]),
        };
        Assert.Equal(new LmTestScores(0.25, 0.75, 0.2, 0.5, 1.0, 2.0, FromTable: true), TestScoring.WithLm(withLm, new TestScoreOptions(4), _ => { }, _ => { }));
        var greedyOnly = Assert.Throws<InvalidOperationException>(() => TestScoring.WithLm(recorded, new TestScoreOptions(4), _ => { }, _ => { }));
        Assert.Equal("elsewhere: its results-table row has no LM scores (test_cer_lm, test_wer_lm, lm_alpha, lm_beta) and its run is not here; " +
                     "collect the sweep with --collect --lm 4 --merge where the run is.", greedyOnly.Message);
        Assert.Throws<ArgumentException>(() => TestScoring.WithLm(withLm, new TestScoreOptions(), _ => { }, _ => { }));

        var unscored = recorded with { Metrics = ImmutableSortedDictionary<string, double>.Empty };
        var e = Assert.Throws<InvalidOperationException>(() => TestScoring.Greedy(unscored, _ => { }, _ => { }));
        Assert.Equal("elsewhere: its results-table row has no test scores (test_cer, test_wer) and its run is not here; " +
                     "collect the sweep with --collect --score-test --merge where the run is.", e.Message);
    }

    [Fact]
    public void OnlyFineTuningPointsWithATestSplitHaveTestScoresAndOnlyThoseWithADevSplitLmScores()
    {
        var point = new FinetuneExperiment { Name = "f", Pretrained = "p", Corpus = new CorpusSpec { Test = "test" } };
        Assert.Null(TestScoring.Unscorable(point));
        Assert.Contains("not a fine-tuning run", TestScoring.Unscorable(new PretrainExperiment { Name = "p" }));
        Assert.Contains("corpus.test is null", TestScoring.Unscorable(point with { Corpus = point.Corpus with { Test = null } }));
        Assert.Null(TestScoring.Untunable(point));
        Assert.Contains("corpus.dev is null", TestScoring.Untunable(point with { Corpus = point.Corpus with { Dev = null } }));

        // A sweep result of such a point is refused in one line naming it, before anything is decoded.
        SweepResult Result(ExperimentDescription d) =>
            new(0, new SweepPoint<ExperimentDescription>(d, ImmutableSortedDictionary<string, string>.Empty) { Name = d.Name }, 0, 0, ImmutableSortedDictionary<string, double>.Empty);
        var pretraining = Result(new PretrainExperiment { Name = "p" });
        Assert.Equal("p: no test scores: not a fine-tuning run: there is no CTC model to transcribe with.",
            Assert.Throws<ArgumentException>(() => TestScoring.Greedy(pretraining, _ => { }, _ => { })).Message);
        Assert.Equal("p: no test scores: not a fine-tuning run: there is no CTC model to transcribe with.",
            Assert.Throws<ArgumentException>(() => TestScoring.WithLm(pretraining, new TestScoreOptions(4), _ => { }, _ => { })).Message);
        Assert.Equal("f: no LM scores: no dev split to tune the LM weight and word bonus on (corpus.dev is null).",
            Assert.Throws<ArgumentException>(() => TestScoring.WithLm(Result(point with { Corpus = point.Corpus with { Dev = null } }), new TestScoreOptions(4), _ => { }, _ => { })).Message);
    }
}
