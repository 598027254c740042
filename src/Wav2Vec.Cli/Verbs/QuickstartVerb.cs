using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Experiments;

namespace Wav2Vec.Cli.Verbs;

/// <summary>
/// <c>./wav2vec quickstart</c>, the main job: default corpus (created when missing) → pre-train Tiny → fine-tune on
/// train-10min → greedy test CER/WER → HTML report. Every stage resumes where it stopped, so re-running continues.
/// </summary>
public sealed class QuickstartVerb : IVerb
{
    public int Order => 1;

    public Command Build()
    {
        var pretrainFile = new Option<FileInfo>("--pretrain") { Description = "Pre-training description.", DefaultValueFactory = _ => new FileInfo("experiments/quickstart-pretrain.json") };
        var finetuneFile = new Option<FileInfo>("--finetune") { Description = "Fine-tuning description.", DefaultValueFactory = _ => new FileInfo("experiments/quickstart-finetune.json") };
        var hours = new Option<double>("--hours") { Description = "Hours of TTS audio to synthesise when the corpus is missing.", DefaultValueFactory = _ => 0.5 };
        var command = new Command("quickstart", "Create the default corpus if missing, pre-train Tiny, fine-tune on train-10min, evaluate on test, write an HTML report.")
        {
            pretrainFile, finetuneFile, hours,
        };
        command.SetAction(async (parse, _) =>
        {
            var pretrain = ExperimentJson.Load<PretrainExperiment>(parse.GetValue(pretrainFile)!.FullName);
            var finetune = ExperimentJson.Load<FinetuneExperiment>(parse.GetValue(finetuneFile)!.FullName);
            var clock = System.Diagnostics.Stopwatch.StartNew();

            Stage(1, "default corpus");
            if (File.Exists(ManifestFiles.TsvPath(pretrain.Corpus.Folder, pretrain.Corpus.Train)))
                AnsiConsole.MarkupLine($"using the corpus in {Markup.Escape(pretrain.Corpus.Folder)}");
            else
            {
                CorpusPrerequisites.Ensure(m => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(m)}[/]"));
                DataVerb.SynthesizeWithProgress(new CorpusOptions(pretrain.Corpus.Folder, parse.GetValue(hours)));
            }

            Stage(2, $"pre-training {pretrain.Name} ({pretrain.Steps} steps)");
            await ExperimentRunner.RunToEnd(pretrain, resume: true);

            Stage(3, $"fine-tuning {finetune.Name} on {finetune.Corpus.Train} ({finetune.Steps} steps)");
            await ExperimentRunner.RunToEnd(finetune, resume: true);

            var testSplit = finetune.Corpus.Test ?? "test";
            Stage(4, $"evaluating on {testSplit}");
            var best = Experiment.Folder(finetune).Best;
            var model = Directory.Exists(best) ? best : Experiment.Folder(finetune).Final;
            var test = QuickstartReport.Evaluate(model, finetune.Corpus.Folder, testSplit, finetune.Language);
            var report = Path.Combine(Experiment.Folder(finetune).Path, "report.html");
            QuickstartReport.Build(pretrain, finetune, test, testSplit).Write(report);

            AnsiConsole.MarkupLine($"[bold]test ({test.Utterances.Count} utterances, greedy): CER {test.Cer:P1}, WER {test.Wer:P1}[/]");
            AnsiConsole.MarkupLine($"model {Markup.Escape(model)}; report {Markup.Escape(report)}; {clock.Elapsed:m\\:ss} in all.");
            return 0;
        });
        return command;
    }

    static void Stage(int n, string what) => AnsiConsole.Write(new Rule($"[bold]{n}/4[/] {Markup.Escape(what)}").LeftJustified());
}
