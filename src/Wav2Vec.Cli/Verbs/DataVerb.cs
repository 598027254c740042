using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Audio;
using Wav2Vec.Corpus;
using Wav2Vec.Data;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec data manifest|synth|bench</c>: build manifests, synthesise the default corpus, benchmark decoding.</summary>
public sealed class DataVerb : IVerb
{
    public int Order => 10;

    public Command Build()
    {
        var command = new Command("data", "Audio corpora: build manifests, synthesise the default TTS corpus, benchmark decoding.");
        command.Subcommands.Add(Manifest());
        command.Subcommands.Add(Synth());
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
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "data/tts-en" };
        var hours = new Option<double>("--hours") { Description = "Hours of unlabelled training pool (dev/test come on top).", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed for voices, sentences, jitter and budgets.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads") { Description = "Parallel engine processes (default: one per core)." };
        var command = new Command("synth", "Synthesise the default labelled English corpus with espeak-ng, flite and festival.") { output, hours, seed, threads };
        command.SetAction(parse =>
        {
            SynthesizeWithProgress(new CorpusOptions(parse.GetValue(output)!, parse.GetValue(hours), parse.GetValue(seed), parse.GetValue(threads)));
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
