using System.Globalization;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Metrics;
using Wav2Vec.Plots;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>The quickstart's HTML report: the pre-trained and the from-scratch arm side by side, offline.</summary>
public static class QuickstartReport
{
    /// <summary>File name of the report in <see cref="QuickstartPlan.Folder"/>.</summary>
    public const string FileName = "report.html";

    /// <summary>
    /// An HTML page (plotly.js embedded once, so it works offline): the test scores of both arms, their fine-tuning
    /// curves in the same charts (dev CER and WER, training CTC loss, gradient norm), the curves of
    /// <paramref name="pretrain"/> when the quickstart pre-trained the model itself, and a few test transcripts of both
    /// arms with their audio, and the audio files the runs skipped (their <c>skipped.tsv</c>).
    /// </summary>
    public static HtmlReport Build(QuickstartResult result, string testSplit, PretrainExperiment? pretrain = null, int examples = 6)
    {
        var (pretrained, scratch) = (result.Pretrained, result.Scratch);
        var recipe = pretrained.Description;
        var fine = Log(pretrained.Description).Concat(Log(scratch.Description)).ToList();
        var report = new HtmlReport("wav2vec 2.0 quickstart: pre-trained vs from scratch")
            .AddText($"One fine-tuning recipe ({recipe.Steps} steps on '{recipe.Corpus.Train}' of {recipe.Corpus.Folder}, seed {recipe.Seed}) " +
                     $"run from the pre-trained model {pretrained.StartsFrom} and from a fresh network of the same architecture; " +
                     $"both evaluated greedily on '{testSplit}' ({pretrained.Test.Utterances.Count} utterances, voices unheard in training).")
            .AddTable(["arm", "run", "starts from", "test CER", "test WER", "word errors S / D / I", "steps", "fine-tuning time"],
                [Row("pretrained", pretrained), Row("scratch", scratch)])
            .AddHeading("Fine-tuning")
            .AddChart(TrainingCurves.Grid(fine, [MetricNames.Cer, MetricNames.Ctc, MetricNames.Wer, MetricNames.GradNorm]));
        if (pretrain is not null)
            report = report
                .AddHeading($"Pre-training ({pretrain.Name}, {pretrain.Steps} steps on '{pretrain.Corpus.Train}')")
                .AddChart(TrainingCurves.Grid(Log(pretrain), [MetricNames.Loss, MetricNames.Contrastive, MetricNames.Perplexity, MetricNames.Accuracy]));

        report = report.AddHeading("Test transcripts");
        var manifest = ManifestFiles.Read(recipe.Corpus.Folder, testSplit);
        var paths = manifest.Entries.ToDictionary(e => e.Id, manifest.FullPath);
        var fromScratch = scratch.Test.Utterances.ToDictionary(u => u.Id);
        foreach (var u in pretrained.Test.Utterances.Take(examples))
        {
            var other = fromScratch.GetValueOrDefault(u.Id);
            report = report
                .AddTable(["", "text", "word errors"],
                [
                    ["reference", u.Reference, ""],
                    ["pretrained", u.Hypothesis, Count(u.Words.Errors)],
                    ["scratch", other?.Hypothesis ?? "", other is null ? "" : Count(other.Words.Errors)],
                ])
                .AddAudio(AudioClip.FromWavFile(paths[u.Id], u.Id));
        }
        var skipped = new ExperimentDescription?[] { pretrain, pretrained.Description, scratch.Description }.OfType<ExperimentDescription>()
            .SelectMany(run => SkippedAudioLog.Read(Experiment.Folder(run).SkippedAudio).Select(file => (run.Name, File: file)))
            .ToList();
        if (skipped.Count > 0)
            report = report
                .AddHeading("Skipped audio")
                .AddText($"{skipped.Count} file(s) could not be used and were left out (skipped.tsv in each run folder).")
                .AddTable(["run", "split", "file", "problem", "detail"],
                    [.. skipped.Select(s => (IReadOnlyList<string>)[s.Name, s.File.Split, s.File.Path, s.File.Problem.ToString(), s.File.Detail])]);
        return report;
    }

    static List<StepReport> Log(ExperimentDescription run) => JsonLinesLog.Read(Experiment.Folder(run).MetricsJsonl).ToList();

    static IReadOnlyList<string> Row(string arm, QuickstartArmResult r) =>
    [
        arm, r.Description.Name, r.StartsFrom, Percent(r.Test.Cer), Percent(r.Test.Wer), Errors(r.Test.Words), Count(r.Steps),
        Minutes(r.Seconds),
    ];

    static string Minutes(double seconds) => $"{(int)(seconds / 60)}:{(int)(seconds % 60):00}";

    static string Percent(double rate) => rate.ToString("P1", CultureInfo.InvariantCulture);

    static string Errors(ErrorCounts c) => $"{c.Substitutions} / {c.Deletions} / {c.Insertions} of {c.ReferenceLength}";

    static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
