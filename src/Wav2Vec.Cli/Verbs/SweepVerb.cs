using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Experiments;
using Wav2Vec.Pretraining;
using Wav2Vec.Sinks;

namespace Wav2Vec.Cli.Verbs;

/// <summary>
/// <c>./wav2vec sweep SWEEP.json [--jobs N] [--score-test] [--lm ORDER] | --list | --chain | --index N | --collect [--score-test] [--lm ORDER] [--probe] [--merge]] [--scale F]</c>:
/// the points of a sweep (grid and named points), run all in turn or N at a time (each in its own <c>--index</c> process),
/// one per process (a scheduler's array task), or collected into the results table (CSV), with the trained models' test
/// scores (<see cref="TestScoring"/>) or the pre-trained models' dev probes (<see cref="DevProbing"/>) when asked for.
/// A whole run first runs the sweep its <c>after</c> field names (the pre-trainings its points fine-tune), with its table.
/// </summary>
public sealed class SweepVerb : IVerb
{
    const string Continue = "run the same command again to continue", Probed = SweepResult.ProbedPrefix;

    public int Order => 21;

    public Command Build()
    {
        var file = new Argument<FileInfo>("SWEEP")
        {
            Description = "Sweep file: {\"baseline\": FILE or {...}, \"grid\": {\"field.path\": [values]}, \"points\": [{\"name\": N, \"set\": {\"field.path\": value}}], \"repeat\": {\"seed\": [1, 2]}, \"results\": \"x.csv\", \"after\": SWEEP whose points a whole run runs first}.",
        };
        var list = new Option<bool>("--list") { Description = "Print the points, one per line: index, run name and the fields it sets, tab-separated; runs nothing." };
        var chainOption = new Option<bool>("--chain")
        {
            Description = "Print the sweep files a whole run runs, in order, one per line: the sweep its 'after' field names (and that one's, first), then this one; runs nothing.",
        };
        var index = new Option<int?>("--index") { Description = "Run point N only, in its own run folder: nothing when finished, resumed when interrupted (one scheduler task per point)." };
        var collect = new Option<bool>("--collect") { Description = "Write the results table from the run folders of the finished points and list the missing ones; runs nothing." };
        var scoreTest = new Option<bool>("--score-test")
        {
            Description = "With --collect or after running the sweep: score each finished fine-tuning point's trained model (best/, else final/) on its corpus.test split, greedily, " +
                          "into columns test_cer, test_wer and test_skipped; kept in the run folder's scores.json and reused while the model and split are unchanged.",
        };
        var lm = new Option<int?>("--lm")
        {
            HelpName = "ORDER",
            Description = "With --collect or after running the sweep (implies --score-test): also build a word ORDER-gram LM from the point's training transcripts (corpus.train .wrd, " +
                          "modified Kneser-Ney), tune alpha and beta on corpus.dev as `lm tune` does (beam 20, its default grid) and score test with them: " +
                          "columns test_cer_lm, test_wer_lm, lm_alpha, lm_beta, dev_wer_lm. LMs are kept in lm-cache/ beside the results table.",
        };
        var probe = new Option<bool>("--probe")
        {
            Description = "With --collect: measure each finished pre-training point's trained model (best/, else final/) on its run's dev probe " +
                          "again, with today's chance levels, into probed_* columns; the learns column then reads them.",
        };
        var merge = new Option<bool>("--merge")
        {
            Description = "With --collect: keep the existing results table's rows of points that have not finished here (same index, run name, scale and " +
                          "settings), so tables collected on machines that ran different points add up; rows of changed points are dropped and named.",
        };
        var scale = new Option<double>("--scale")
        {
            Description = "Multiply every point's steps by F (e.g. 0.25) for a quick look; scaled points run in their own folders (NAME-scaleF), the table records F.",
            DefaultValueFactory = _ => 1.0,
        };
        var jobs = new Option<int>("--jobs")
        {
            HelpName = "N",
            Description = "Run the unfinished points N at a time on this machine, each in its own process (`sweep SWEEP --index I`, its lines prefixed " +
                          "[I]) with WAV2VEC_THREADS = cores / N unless set, then write the table. A point whose process dies of a signal resumes " +
                          "from its last checkpoint (twice at most); Ctrl+C stops every running point with a checkpoint.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("sweep", "Run the points of a sweep (a grid and/or named points) one after another, or one of them (--index), and write the results table (CSV).");
        command.Arguments.Add(file);
        command.Options.Add(list);
        command.Options.Add(chainOption);
        command.Options.Add(index);
        command.Options.Add(collect);
        command.Options.Add(probe);
        command.Options.Add(scoreTest);
        command.Options.Add(lm);
        command.Options.Add(merge);
        command.Options.Add(scale);
        command.Options.Add(jobs);
        command.SetAction(async (parse, _) =>
        {
            var (listing, point, collecting, factor) = (parse.GetValue(list), parse.GetValue(index), parse.GetValue(collect), parse.GetValue(scale));
            var chaining = parse.GetValue(chainOption);
            if (new[] { listing, point is not null, collecting, chaining }.Count(x => x) > 1)
                throw new UsageException("--list, --chain, --index and --collect are alternatives: give one (or none to run every unfinished point and collect).");
            if (!(factor > 0 && double.IsFinite(factor))) throw new UsageException($"--scale must be a positive factor such as 0.25, got {factor}.");
            var (scoring, order, merging, probing) = (parse.GetValue(scoreTest), parse.GetValue(lm), parse.GetValue(merge), parse.GetValue(probe));
            if (merging && !collecting) throw new UsageException("--merge keeps earlier rows while collecting the table: add --collect.");
            if (probing && !collecting) throw new UsageException("--probe measures the models of finished points while collecting the table: add --collect.");
            if ((scoring || order is not null) && (listing || point is not null))
                throw new UsageException($"{(order is null ? "--score-test" : "--lm")} scores the models of finished points while collecting the table: " +
                                         "add --collect, or run the whole sweep (no --list or --index).");
            var parallel = parse.GetValue(jobs);
            if (parallel < 1) throw new UsageException($"--jobs takes how many points run at a time, 1 or more, got {parallel}.");
            if (parallel > 1 && (listing || point is not null || collecting || chaining))
                throw new UsageException("--jobs runs the unfinished points of the whole sweep: leave out --list, --chain, --index and --collect.");
            if (order is < 1) throw new UsageException($"--lm takes the n-gram order, 1 or more (e.g. 4), got {order}.");
            var sweep = SweepFile.Load(parse.GetValue(file)!.FullName);
            if (chaining)
            {
                foreach (var s in sweep.Chain()) Console.Out.WriteLine(Path.GetFullPath(s.Source));
                return 0;
            }
            var points = sweep.Points(factor);
            if (listing)
            {
                foreach (var (p, i) in points.Select((p, i) => (p, i)))
                    Console.Out.WriteLine($"{i}\t{p.Description.Name}\t{(p.Assignment.IsEmpty ? "(baseline)" : p.Label)}");
                return 0;
            }
            if (point is { } n)
            {
                SweepPoint<ExperimentDescription> chosen;
                try
                {
                    chosen = sweep.Point(n, factor);
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new UsageException(e.Message);
                }
                await Run(n, chosen);
                return 0;
            }
            var scores = scoring || order is not null
                ? new TestScoreOptions(order, Path.Combine(Path.GetDirectoryName(sweep.Results)!, "lm-cache"))
                : null;
            if (collecting) return Collect(sweep, points, scores, CliErrors.IsVerbose(parse), merging, probing);
            var chain = sweep.Chain();
            foreach (var (first, next) in chain.Zip(chain.Skip(1)))
            {
                var firstPoints = first.Points(factor);
                // Its table may hold more than a plain collect writes (dev probes, merged rows): left as it is when nothing runs.
                if (firstPoints.All(p => SweepRuns.Status(p.Description).Finished))
                {
                    Console.Out.WriteLine($"{first.Source} ('after' of {next.Source}): all {firstPoints.Count} points finished, its table left as it is");
                    continue;
                }
                Console.Out.WriteLine($"{first.Source}: runs first ('after' of {next.Source})");
                var (code, stoppedFirst) = await RunWhole(first, firstPoints, parallel, factor, null, CliErrors.IsVerbose(parse));
                if (stoppedFirst) return 0;
                if (code == 0) continue;
                Console.Error.WriteLine($"error: {next.Source} not started: the points of its 'after' sweep {first.Source} did not all finish.");
                return code;
            }
            var (exit, _) = await RunWhole(sweep, points, parallel, factor, scores, CliErrors.IsVerbose(parse));
            return exit;
        });
        return command;
    }

    /// <summary>
    /// Runs every unfinished point of <paramref name="sweep"/>, in turn or <paramref name="parallel"/> at a time, then
    /// writes its table (with test scores when <paramref name="scores"/> is given); returns the exit code and whether
    /// Ctrl+C stopped the sweep (no table then).
    /// </summary>
    static async Task<(int Code, bool Stopped)> RunWhole(SweepFile sweep, IReadOnlyList<SweepPoint<ExperimentDescription>> points, int parallel, double factor,
        TestScoreOptions? scores, bool verbose)
    {
        if (parallel > 1)
        {
            var (failedPoints, stoppedAll) = await SweepJobs.Run(sweep.Source, sweep.Results, points, parallel, factor);
            if (stoppedAll) return (0, true);
            var collected = Collect(sweep, points, scores, verbose);
            return (failedPoints > 0 ? CliErrors.Summary(failedPoints, points.Count, "sweep points") : collected, false);
        }
        var failed = 0;
        for (var i = 0; i < points.Count; i++)
        {
            try
            {
                if (await Run(i, points[i])) return (0, true);
            }
            catch (Exception e) when (CliErrors.IsPerInput(e))
            {
                CliErrors.PrintFor(points[i].Description.Name, e, verbose);
                failed++;
            }
        }
        var scored = Collect(sweep, points, scores, verbose);
        return (failed > 0 ? CliErrors.Summary(failed, points.Count, "sweep points") : scored, false);
    }

    /// <summary>Runs one point unless it has finished; returns whether Ctrl+C stopped it.</summary>
    static async Task<bool> Run(int index, SweepPoint<ExperimentDescription> point)
    {
        var description = point.Description;
        var folder = Markup.Escape(Experiment.Folder(description).Path);
        var title = $"point {index} {Markup.Escape(description.Name)}";
        var status = SweepRuns.Status(description);
        if (status.Finished)
        {
            AnsiConsole.MarkupLine($"{title}: finished, nothing to do ({folder})");
            return false;
        }
        AnsiConsole.MarkupLine($"[bold]{title}[/] {Markup.Escape(point.Label)}: {(status.Step > 0 ? $"resuming after step {status.Step}" : "starting")} → {folder}");
        var (last, stopped) = await ExperimentRunner.RunToEnd((stop, log, _) => SweepRuns.Run(description, stop, log), Continue);
        if (last is not null)
            AnsiConsole.MarkupLine($"{title}: step {last.Step} of {description.Steps}, {last.Elapsed.TotalSeconds:0} s of compute");
        return stopped;
    }

    /// <summary>
    /// Writes the table of the finished points (with their test scores when <paramref name="scoring"/> is given), shows one
    /// line per point (headline metrics) and lists the missing points; exit code 1 when some point could not be scored.
    /// </summary>
    static int Collect(SweepFile sweep, IReadOnlyList<SweepPoint<ExperimentDescription>> points, TestScoreOptions? scoring = null, bool verbose = false,
        bool merge = false, bool probe = false)
    {
        var (finished, missing) = SweepRuns.Collect(points);
        var (failed, tried) = (0, 0);
        if (probe) (finished, failed, tried) = Probe(finished, verbose);
        if (scoring is not null)
        {
            (finished, var failedScores, var triedScores) = Score(finished, scoring, verbose);
            (failed, tried) = (failed + failedScores, tried + triedScores);
        }
        var columns = scoring switch { null => ScoreColumns.None, { LmOrder: null } => ScoreColumns.Greedy, _ => ScoreColumns.WithLm };
        var table = SweepTable.Of(finished, columns);
        IReadOnlyList<int> kept = [];
        if (merge)
        {
            IReadOnlyList<string> dropped;
            (table, kept, dropped) = table.WithEarlierRows(SweepTable.ReadCsv(sweep.Results), points, missing);
            foreach (var d in dropped) Console.Out.WriteLine($"earlier row dropped: {d}");
            if (kept.Count > 0) Console.Out.WriteLine($"kept the earlier rows of {kept.Count} points not finished here: {string.Join(", ", kept)}");
        }
        table.WriteCsv(sweep.Results);
        // Every metric is in the CSV; a line per point, readable in a terminal and in a scheduler's log alike.
        foreach (var r in finished)
        {
            var verdict = r.Learns is { } learns ? $", learns {(learns ? "yes" : "no")}" : "";
            var metrics = MetricNames.Headline.Concat([DiagnosticNames.DevAccuracy, Probed + DiagnosticNames.DevAccuracy, Probed + DiagnosticNames.DevChanceAccuracy])
                .Where(r.Metrics.ContainsKey)
                .Select(m => $"{m} {ProgressText.Format(r.Metrics[m])}");
            Console.Out.WriteLine($"{r.Index} {r.Point.Description.Name} {r.Point.Label}: step {r.Step}, {r.ComputeSeconds:0} s{verdict}; {string.Join(", ", metrics)}" +
                                  ScoreText(r.Scores));
        }
        Console.Out.WriteLine($"results of {finished.Count + kept.Count} of {points.Count} points → {sweep.Results}");
        // One point per core at a time, as a scheduler's workers would run them here.
        Console.Out.WriteLine(table.Compute().Describe(Environment.ProcessorCount));
        var absent = missing.Where(m => !kept.Contains(m.Index)).ToList();
        if (absent.Count > 0)
        {
            Console.Out.WriteLine($"missing {absent.Count} of {points.Count} points:");
            foreach (var m in absent) Console.Out.WriteLine($"  {m.Index} {m.Point.Description.Name}: {m.Status}");
        }
        return CliErrors.Summary(failed, tried, !probe ? "test scorings" : scoring is null ? "dev probes" : "dev probes and test scorings");
    }

    /// <summary>The results with the dev probe of every pre-training point that has one measured again, each failure named and counted.</summary>
    static (IReadOnlyList<SweepResult> Results, int Failed, int Tried) Probe(IReadOnlyList<SweepResult> finished, bool verbose)
    {
        var (failed, tried, results, unprobed) = (0, 0, new List<SweepResult>(), new List<(string Name, string Why)>());
        foreach (var r in finished)
        {
            if (DevProbing.Unprobeable(r.Point.Description) is { } why)
            {
                unprobed.Add((r.Point.Description.Name, why));
                results.Add(r);
                continue;
            }
            tried++;
            try
            {
                results.Add(DevProbing.Probe(r, _ => { }));
            }
            catch (Exception e) when (CliErrors.IsPerInput(e))
            {
                CliErrors.PrintFor(r.Point.Description.Name, e, verbose);
                failed++;
                results.Add(r);
            }
        }
        foreach (var group in unprobed.GroupBy(x => x.Why))
            Console.Out.WriteLine($"no dev probe, {group.Key}: {string.Join(", ", group.Select(x => x.Name))}");
        return (results, failed, tried);
    }

    /// <summary>
    /// The results with the test scores of every point that can have them, each failure named and counted; the points
    /// that cannot are told once per reason.
    /// </summary>
    static (IReadOnlyList<SweepResult> Results, int Failed, int Tried) Score(IReadOnlyList<SweepResult> finished, TestScoreOptions options, bool verbose)
    {
        var (failed, tried, results) = (0, 0, new List<SweepResult>());
        foreach (var r in finished)
        {
            if (r.Point.Description is not FinetuneExperiment point || TestScoring.Unscorable(point) is not null)
            {
                results.Add(r);
                continue;
            }
            tried++;
            try
            {
                results.Add(r with
                {
                    Scores = TestScoring.Score(point, options, Console.Out.WriteLine, f => CliErrors.PrintFor($"utterance {f.Id}", f.Error, verbose)),
                });
            }
            catch (Exception e) when (CliErrors.IsPerInput(e))
            {
                CliErrors.PrintFor(point.Name, e, verbose);
                failed++;
                results.Add(r);
            }
        }
        var reasons = finished.Select(r => r.Point.Description).SelectMany(d =>
            TestScoring.Unscorable(d) is { } why ? [(d.Name, Why: $"no test scores, {why}")]
            : options.LmOrder is not null && TestScoring.Untunable(d) is { } untuned ? [(d.Name, Why: $"no LM scores, {untuned}")]
            : Array.Empty<(string Name, string Why)>());
        foreach (var group in reasons.GroupBy(x => x.Why))
            Console.Out.WriteLine($"{group.Key}: {string.Join(", ", group.Select(x => x.Name))}");
        return (results, failed, tried);
    }

    static string ScoreText(TestScores? scores) => scores is null ? "" :
        $"; test cer {ProgressText.Format(scores.Greedy.Cer)}, wer {ProgressText.Format(scores.Greedy.Wer)}" +
        (scores.Lm is { } lm
            ? $", with a {lm.Order}-gram LM cer {ProgressText.Format(lm.Test.Cer)}, wer {ProgressText.Format(lm.Test.Wer)} (alpha {ProgressText.Format(lm.Alpha)}, beta {ProgressText.Format(lm.Beta)})"
            : "") +
        (scores.Greedy.Skipped > 0 ? $" ({scores.Greedy.Skipped} of {scores.Greedy.Scored + scores.Greedy.Skipped} test utterances left out, named above)" : "");
}
