using System.Text.RegularExpressions;
using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Errors;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec data manifest|synth|import|pool|bench</c>: build manifests, synthesise the default corpus, import recorded speech, pool corpora, benchmark decoding.</summary>
public sealed class DataVerb : IVerb
{
    public int Order => 10;

    public Command Build()
    {
        var command = new Command("data", "Audio corpora: build manifests, synthesise the default TTS corpus, import recorded speech, pool corpora, benchmark decoding.");
        command.Subcommands.Add(Manifest());
        command.Subcommands.Add(Synth());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Pool());
        command.Subcommands.Add(Bench());
        return command;
    }

    static Command Manifest()
    {
        var dir = new Argument<string>("AUDIO_DIR") { Description = "Folder searched recursively for .wav/.mp3 (transcripts from .txt/.lab beside them)." };
        var output = new Option<string>("--out") { Description = "Folder for SPLIT.tsv/.ltr/.wrd.", Required = true };
        var split = new Option<string>("--split") { Description = "Manifest name.", DefaultValueFactory = _ => "train" };
        var language = new Option<string>("--language") { Description = "Transcript language (en, cy, ru, …).", DefaultValueFactory = _ => "en" };
        var skip = new Option<bool>("--skip-bad") { Description = "Skip undecodable files (counted and listed) instead of stopping." };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longer files are bad input.", DefaultValueFactory = _ => 60 };
        var command = new Command("manifest", "Build a fairseq manifest from a folder of audio.") { dir, output, split, language, skip, maxSeconds };
        command.SetAction(parse => Reported(() =>
        {
            var result = ManifestBuilder.FromFolder(parse.GetValue(dir)!, parse.GetValue(language)!,
                parse.GetValue(skip) ? BadAudioPolicy.Skip : BadAudioPolicy.Fail, new DecodeOptions(MaxSeconds: parse.GetValue(maxSeconds)));
            var outDir = parse.GetValue(output)!;
            ManifestFiles.Write(outDir, parse.GetValue(split)!, result.Manifest);
            AnsiConsole.MarkupLineInterpolated($"Wrote {result.Manifest.Entries.Count} utterances ({result.Manifest.TotalSeconds / 3600:0.###} h, {(result.Manifest.IsLabelled ? "labelled" : "unlabelled")}) to {ManifestFiles.TsvPath(outDir, parse.GetValue(split)!)}");
            foreach (var (id, chars) in result.Unmapped)
                AnsiConsole.MarkupLineInterpolated($"[yellow]{id}: transcript characters not mapped: {chars}[/]");
            if (result.WithoutTranscript.Count > 0)
                AnsiConsole.MarkupLineInterpolated($"[yellow]left out {result.WithoutTranscript.Count} file(s) without a .txt/.lab transcript, e.g. {result.WithoutTranscript[0]}[/]");
            if (result.Skipped.Count > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{result.Skipped.Describe()}[/]");
            return 0;
        }, "use --skip-bad to skip such files (they are counted and listed) instead of stopping."));
        return command;
    }

    static Command Synth()
    {
        var output = new Option<string?>("--out") { Description = "Output folder (default: data/tts-en, with --pool-voices data/tts-en-pool)." };
        var hours = new Option<double>("--hours") { Description = "Hours of unlabelled training pool (dev/test come on top).", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed for voices, sentences, jitter and budgets.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads") { Description = "Parallel engine processes (default: one per core)." };
        var poolVoices = new Option<bool>("--pool-voices")
        {
            Description = "Only an unlabelled train pool, read by voices the default corpus never uses (espeak-ng variants, festival's ked_diphone) " +
                          "from the seed's training sentences; pool it with the default corpus (`data pool`) for a voice-diverse pre-training pool.",
        };
        var command = new Command("synth", "Synthesise the default labelled English corpus with espeak-ng, flite and festival.") { output, hours, seed, threads, poolVoices };
        command.SetAction(parse =>
        {
            var pool = parse.GetValue(poolVoices);
            var folder = parse.GetValue(output) ?? (pool ? "data/tts-en-pool" : "data/tts-en");
            SynthesizeWithProgress(new CorpusOptions(folder, parse.GetValue(hours), parse.GetValue(seed), parse.GetValue(threads), PoolVoices: pool));
            return 0;
        });
        return command;
    }

    /// <summary>Synthesises a corpus with a progress bar, then prints its splits and speed.</summary>
    internal static CorpusReport SynthesizeWithProgress(CorpusOptions options)
    {
        CorpusReport? report = null;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("synthesising", maxValue: 1);
                var progress = new Progress<SynthProgress>(p =>
                {
                    task.MaxValue = p.SecondsTarget;
                    task.Value = Math.Min(p.SecondsDone, p.SecondsTarget);
                    task.Description = $"{p.Split}: {p.Utterances} utterances";
                });
                report = CorpusSynthesizer.Synthesize(options, progress, m => AnsiConsole.MarkupLineInterpolated($"[yellow]{m}[/]"));
                task.Value = task.MaxValue;
            });
        var table = new Table().AddColumn("split").AddColumn("utterances").AddColumn("duration").AddColumn("voices").AddColumn("labels");
        foreach (var s in report!.Splits)
            table.AddRow(s.Name, s.Utterances.ToString(), $"{s.Seconds / 60:0.0} min", s.Voices.ToString(), s.Labelled ? "ltr, wrd" : "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{report.AudioSeconds / 60:0.0} min of audio in {report.Elapsed.TotalSeconds:0.0} s = {report.RealTimeFactor:0}× real time on {options.Threads ?? Environment.ProcessorCount} threads; manifests in {report.OutDir}");
        return report;
    }

    static Command Import()
    {
        var source = new Argument<string>("SOURCE") { Description = $"Recorded speech from Debian packages: {SpeechSources.Description}." };
        var language = new Option<string?>("--language") { Description = "Language of the source." };
        var output = new Option<string?>("--out") { Description = "Output folder (default: data/SOURCE-LANGUAGE)." };
        var seed = new Option<long>("--seed") { Description = "Seed for dev/test and budget selection.", DefaultValueFactory = _ => 0 };
        var dev = new Option<double>("--dev") { Description = "Share of the duration held out for dev.", DefaultValueFactory = _ => 0.1 };
        var test = new Option<double>("--test") { Description = "Share of the duration held out for test.", DefaultValueFactory = _ => 0.2 };
        var root = new Option<string>("--root") { Description = "Read the packages' files under this folder instead of / (nothing is installed then).", DefaultValueFactory = _ => "/" };
        var command = new Command("import", "Import recorded speech with transcripts from Debian packages as fairseq manifests (train, train-10min, train-1h, dev, test) and vocab.json.")
            { source, language, output, seed, dev, test, root };
        command.SetAction(parse => Reported(() =>
        {
            var (devShare, testShare) = (parse.GetValue(dev), parse.GetValue(test));
            ISpeechSource speech;
            try
            {
                speech = SpeechSources.Create(parse.GetValue(source)!, parse.GetValue(language));
                if (devShare < 0 || testShare < 0 || devShare + testShare >= 1)
                    throw new ArgumentException($"--dev {devShare} and --test {testShare}: each must be ≥ 0 and together below 1");
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error: {e.Message}[/]");
                return 1;
            }
            if (parse.GetValue(root) == "/") SpeechSources.EnsureInstalled(speech, m => AnsiConsole.MarkupLineInterpolated($"[yellow]{m}[/]"));
            var options = new ImportOptions(parse.GetValue(output) ?? $"data/{speech.Name}", parse.GetValue(seed), devShare, testShare, parse.GetValue(root)!);
            ImportReport? report = null;
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn()).Start(ctx =>
            {
                var task = ctx.AddTask($"{speech.Name}: decoding", maxValue: 1);
                report = SpeechImporter.Import(speech, options, new Progress<ImportProgress>(p => (task.MaxValue, task.Value) = (p.Files, p.Decoded)));
                task.Value = task.MaxValue;
            });
            PrintImport(report!);
            return 0;
        }, ""));
        return command;
    }

    static void PrintImport(ImportReport report)
    {
        var table = new Table().AddColumn("split").AddColumn("utterances").AddColumn("duration").AddColumn("speakers");
        foreach (var s in report.Splits)
            table.AddRow(s.Name, s.Utterances.ToString(), $"{s.Seconds / 60:0.0} min", s.Voices.ToString());
        AnsiConsole.Write(table);
        if (report.Vocabulary is { } v)
            AnsiConsole.MarkupLineInterpolated($"vocabulary: {v.Count} tokens, {v.Count - Wav2Vec.Ctc.Vocabulary.SpecialTokens.Length} letters: {string.Join(' ', v.Tokens.Skip(Wav2Vec.Ctc.Vocabulary.SpecialTokens.Length))}");
        if (report.Excluded.Count > 0)
            AnsiConsole.MarkupLineInterpolated($"left out {report.Excluded.Count}: {string.Join(", ", report.ExcludedByReason.Select(r => $"{r.Value} {r.Key}"))} (each with its reason in excluded.tsv)");
        if (report.DroppedCharacters.Count > 0)
            AnsiConsole.MarkupLineInterpolated($"characters outside the letters, in the transcripts left out: {report.DroppedCharacters.Values.Sum()} ({string.Join(", ", report.DroppedCharacters.Select(c => $"'{c.Key}' ×{c.Value}"))})");
        foreach (var note in report.Notes) AnsiConsole.MarkupLineInterpolated($"[yellow]{note}[/]");
        AnsiConsole.MarkupLineInterpolated($"manifests in {report.OutDir}");
    }

    static Regex VoicePattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--voices: '{pattern}' is not a regular expression ({e.Message})", e);
        }
    }

    static Command Pool()
    {
        var manifests = new Argument<string[]>("MANIFEST") { Description = "Manifests to pool (FOLDER/SPLIT.tsv), e.g. data/tts-en-10h/train.tsv data/asterisk-es/train.tsv.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the pooled SPLIT.tsv (entries keep pointing at their own audio).", Required = true };
        var split = new Option<string>("--split") { Description = "Name of the pooled manifest.", DefaultValueFactory = _ => "train" };
        var balance = new Option<bool>("--balance") { Description = "List each manifest round(longest / its duration) times, so each holds about as much audio per pass as the longest." };
        var voices = new Option<string?>("--voices")
        {
            Description = "Keep only utterances whose voice (the utterances.tsv beside each manifest) matches this regular expression, e.g. '^(flite|festival)/'.",
        };
        var utterances = new Option<string?>("--utterances")
        {
            Description = "Keep only the utterances listed in the 'path' column of this CSV/TSV (a labelled subset kept as its list), e.g. experiments/results/train-10min-engines-utterances.csv.",
        };
        var command = new Command("pool", "Pool manifests into one (e.g. a language's unlabelled audio with the English pool, for continued pre-training).") { manifests, output, split, balance, voices, utterances };
        command.SetAction(parse =>
        {
            var sources = new List<(string, Manifest)>();
            if (parse.GetValue(utterances) is { } given && parse.GetValue(manifests)!.Length > 1)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error: --utterances {given}: give the one manifest the list was drawn from, not {parse.GetValue(manifests)!.Length}[/]");
                return 1;
            }
            foreach (var tsv in parse.GetValue(manifests)!)
            {
                if (!tsv.EndsWith(".tsv", StringComparison.Ordinal))
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]error: {tsv}: expected a manifest file FOLDER/SPLIT.tsv[/]");
                    return 1;
                }
                var folder = Path.GetDirectoryName(tsv) is { Length: > 0 } d ? d : ".";
                var manifest = ManifestFiles.Read(folder, Path.GetFileNameWithoutExtension(tsv));
                if (parse.GetValue(voices) is { } pattern) manifest = ManifestPooling.WithVoices(manifest, folder, tsv, VoicePattern(pattern));
                if (parse.GetValue(utterances) is { } list) manifest = ManifestPooling.WithUtterances(manifest, tsv, list);
                sources.Add((tsv, manifest));
            }
            var (pool, shares) = ManifestPooling.Pool(sources, parse.GetValue(balance));
            var (outDir, name) = (parse.GetValue(output)!, parse.GetValue(split)!);
            ManifestFiles.Write(outDir, name, pool);
            var total = shares.Sum(s => s.PooledSeconds);
            var table = new Table().AddColumn("manifest").AddColumn("utterances").AddColumn("duration").AddColumn("listed").AddColumn("share of the pool");
            foreach (var s in shares)
                table.AddRow(Markup.Escape(s.Source), s.Utterances.ToString(), $"{s.Seconds / 60:0.0} min", $"{s.Repeats}×", $"{s.PooledSeconds / total:P0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Wrote {pool.Entries.Count} entries ({total / 3600:0.##} h per pass, {(pool.IsLabelled ? "labelled" : "unlabelled")}) to {ManifestFiles.TsvPath(outDir, name)}");
            return 0;
        });
        return command;
    }

    static Command Bench()
    {
        var manifest = new Option<string?>("--manifest") { Description = "Manifest folder to decode (default: generated test audio)." };
        var split = new Option<string>("--split") { Description = "Manifest split.", DefaultValueFactory = _ => "train" };
        var limit = new Option<int>("--files") { Description = "Files to decode.", DefaultValueFactory = _ => 200 };
        var command = new Command("bench", "Measure single-threaded decoding speed (× real time per core).") { manifest, split, limit };
        command.SetAction(parse =>
        {
            IReadOnlyList<DecodeSpeed> speeds;
            if (parse.GetValue(manifest) is { } dir)
            {
                var m = ManifestFiles.Read(dir, parse.GetValue(split)!);
                speeds = [DecodeBenchmark.Measure($"{parse.GetValue(split)} manifest", [.. m.Entries.Take(parse.GetValue(limit)).Select(m.FullPath)])];
            }
            else
            {
                var temp = Path.Combine(Path.GetTempPath(), "wav2vec-bench-" + Environment.ProcessId);
                try { speeds = DecodeBenchmark.MeasureGenerated(temp); }
                finally { Directory.Delete(temp, recursive: true); }
            }
            var table = new Table().AddColumn("input").AddColumn("audio").AddColumn("wall time").AddColumn("× real time (1 thread, wall)")
                .AddColumn("CPU time").AddColumn("× real time per CPU second");
            foreach (var s in speeds)
                table.AddRow(Markup.Escape(s.Kind), $"{s.AudioSeconds:0} s", $"{s.Elapsed.TotalSeconds:0.00} s", $"{s.RealTimePerCore:0}×",
                    $"{s.CpuTime.TotalSeconds:0.00} s", $"{s.RealTimePerCpuSecond:0}×");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>Runs an action; a bad audio file (other than a too long one, whose hint is --max-seconds) gets <paramref name="hint"/>.</summary>
    static int Reported(Func<int> action, string hint)
    {
        try
        {
            return action();
        }
        catch (AudioDecodeException e) when (e.Problem != AudioProblem.TooLong)
        {
            throw new HintedException(e, hint);
        }
    }
}
