using System.Globalization;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Metrics;
using Wav2Vec.Plots;
using Wav2Vec.Sinks;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>The quickstart's last stage: test-set scores and an offline HTML report of a pre-train → fine-tune pair.</summary>
public static class QuickstartReport
{
    /// <summary>Greedy WER/CER of the CTC model in <paramref name="modelDirectory"/> on a labelled split.</summary>
    public static EvaluationResult Evaluate(string modelDirectory, string manifestFolder, string split, string language = "en")
    {
        using var recognizer = CtcRecognizer.Load(modelDirectory);
        var utterances = FineTuning.Labelled(manifestFolder, split);
        return Evaluation.Run(recognizer, utterances.Select(u => u.Decode()),
            TranscriptNormalizer.For(language));
    }

    /// <summary>
    /// An HTML page (plotly.js embedded once, so it works offline) with the training curves of both runs, the test
    /// scores, a few test transcripts with their audio, and the audio files either run skipped.
    /// </summary>
    public static HtmlReport Build(PretrainExperiment pretrain, FinetuneExperiment finetune, EvaluationResult test, string testSplit, int examples = 6)
    {
        var pre = JsonLinesLog.Read(Experiment.Folder(pretrain).MetricsJsonl).ToList();
        var fine = JsonLinesLog.Read(Experiment.Folder(finetune).MetricsJsonl).ToList();
        var manifest = ManifestFiles.Read(finetune.Corpus.Folder, testSplit);
        var paths = manifest.Entries.ToDictionary(e => e.Id, manifest.FullPath);
        var report = new HtmlReport("wav2vec 2.0 quickstart")
            .AddText($"Pre-trained {pretrain.Name} ({pretrain.Steps} steps on '{pretrain.Corpus.Train}'), fine-tuned {finetune.Name} " +
                     $"({finetune.Steps} steps on '{finetune.Corpus.Train}'), evaluated greedily on '{testSplit}' ({test.Utterances.Count} utterances).")
            .AddTable(["", "rate", "reference length", "substitutions", "deletions", "insertions"],
            [
                Row("WER", test.Words), Row("CER", test.Characters),
            ])
            .AddHeading("Pre-training")
            .AddChart(TrainingCurves.Grid(pre, [MetricNames.Loss, MetricNames.Contrastive, MetricNames.Perplexity, MetricNames.Accuracy]))
            .AddHeading("Fine-tuning")
            .AddChart(TrainingCurves.Grid(fine, [MetricNames.Ctc, MetricNames.Cer, MetricNames.Wer, MetricNames.GradNorm]))
            .AddHeading("Test transcripts");
        List<(string Run, SkippedAudio File)> skipped =
        [
            .. SkippedAudioLog.Read(Experiment.Folder(pretrain).SkippedAudio).Select(f => (pretrain.Name, f)),
            .. SkippedAudioLog.Read(Experiment.Folder(finetune).SkippedAudio).Select(f => (finetune.Name, f)),
        ];
        foreach (var u in test.Utterances.Take(examples))
            report = report
                .AddTable(["", "text"], [["reference", u.Reference], ["hypothesis", u.Hypothesis], ["word errors", u.Words.Errors.ToString(CultureInfo.InvariantCulture)]])
                .AddAudio(AudioClip.FromWavFile(paths[u.Id], u.Id));
        if (skipped.Count > 0)
            report = report
                .AddHeading("Skipped audio")
                .AddText($"{skipped.Count} file(s) could not be used and were left out (skipped.tsv in each run folder).")
                .AddTable(["run", "split", "file", "problem", "detail"],
                    [.. skipped.Select(s => (IReadOnlyList<string>)[s.Run, s.File.Split, s.File.Path, s.File.Problem.ToString(), s.File.Detail])]);
        return report;
    }

    static IReadOnlyList<string> Row(string name, ErrorCounts c) =>
    [
        name, c.Rate.ToString("P2", CultureInfo.InvariantCulture), $"{c.ReferenceLength}", $"{c.Substitutions}", $"{c.Deletions}", $"{c.Insertions}",
    ];
}
