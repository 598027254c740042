using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Experiments;

namespace Wav2Vec.Cli.Verbs;

/// <summary>
/// <c>./wav2vec quickstart</c>, the main job: default corpus (created when missing) → fine-tune the shipped pre-trained
/// model and a from-scratch model of the same architecture with one recipe on train-10min → greedy test CER/WER of
/// both → <c>runs/quickstart/summary.json</c> and an HTML report. <c>--pretrain</c> pre-trains the model first instead.
/// Every stage resumes where it stopped, so re-running continues.
/// </summary>
public sealed class QuickstartVerb : IVerb
{
    public int Order => 1;

    public Command Build()
    {
        var pretrainedFile = new Option<FileInfo>("--finetune-pretrained")
        {
            Description = "Fine-tuning description of the pre-trained arm (its \"pretrained\" names the model directory).",
            DefaultValueFactory = _ => new FileInfo(QuickstartPlan.PretrainedFile),
        };
        var scratchFile = new Option<FileInfo>("--finetune-scratch")
        {
            Description = "Fine-tuning description of the from-scratch arm (the same recipe with \"model\" instead of \"pretrained\").",
            DefaultValueFactory = _ => new FileInfo(QuickstartPlan.ScratchFile),
        };
        var pretrainFile = new Option<FileInfo?>("--pretrain")
        {
            Description = $"Pre-train first with this description (alone: {QuickstartPlan.PretrainFile}; experiments/pretrain-tiny-10h.json " +
                          "is the shipped model's recipe) and fine-tune its model instead of the shipped one.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hours = new Option<double>("--hours") { Description = "Hours of TTS audio to synthesise when the corpus is missing.", DefaultValueFactory = _ => 0.5 };
        var command = new Command("quickstart",
            "Create the default corpus if missing, fine-tune the shipped pre-trained model and a from-scratch one on train-10min, " +
            "evaluate both on test, write runs/quickstart/summary.json and an HTML report.")
        {
            pretrainedFile, scratchFile, pretrainFile, hours,
        };
        command.SetAction(async (parse, _) =>
        {
            var plan = QuickstartPlan.Load(parse.GetValue(pretrainedFile)!.FullName, parse.GetValue(scratchFile)!.FullName);
            PretrainExperiment? pretrain = null;
            if (parse.GetResult(pretrainFile) is not null)
            {
                var file = parse.GetValue(pretrainFile)?.FullName ?? Path.GetFullPath(QuickstartPlan.PretrainFile);
                pretrain = ExperimentJson.Load<PretrainExperiment>(file);
                plan.RequireArchitecture(pretrain.ResolvedModel, file);
            }
            else
            {
                var model = plan.Pretrained.Pretrained!;
                plan.RequireModel($"the quickstart fine-tunes the pre-trained model shipped in {model}: restore it (git checkout -- {model}), " +
                                  $"point \"pretrained\" in {plan.PretrainedSource} at another model, or add --pretrain to pre-train one first.");
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var stages = pretrain is null ? 4 : 5;
            var stage = 0;
            void Stage(string what) => AnsiConsole.Write(new Rule($"[bold]{++stage}/{stages}[/] {Markup.Escape(what)}").LeftJustified());

            var corpus = plan.Pretrained.Corpus;
            Stage("default corpus");
            if (File.Exists(ManifestFiles.TsvPath(corpus.Folder, corpus.Train)))
                AnsiConsole.MarkupLine($"using the corpus in {Markup.Escape(corpus.Folder)}");
            else
            {
                CorpusPrerequisites.Ensure(m => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(m)}[/]"));
                DataVerb.SynthesizeWithProgress(new CorpusOptions(corpus.Folder, parse.GetValue(hours)));
            }

            if (pretrain is not null)
            {
                Stage($"pre-training {pretrain.Name} ({pretrain.Steps} steps)");
                SetAsideIfChanged(pretrain);
                await ExperimentRunner.RunToEnd(pretrain, resume: true);
                plan = plan.StartingFrom(Experiment.Folder(pretrain).Trained, pretrain.Name);
            }
            foreach (var arm in new[] { plan.Pretrained, plan.Scratch })
            {
                Stage($"{arm.Name}: {arm.Steps} steps on {arm.Corpus.Train}");
                SetAsideIfChanged(arm);
                await ExperimentRunner.RunToEnd(arm, resume: true);
            }

            Stage($"evaluating both on {plan.TestSplit}");
            var result = QuickstartResult.Measure(plan);
            var summary = Path.Combine(plan.Folder, QuickstartResult.SummaryFileName);
            var report = Path.Combine(plan.Folder, QuickstartReport.FileName);
            result.WriteSummary(summary);
            QuickstartReport.Build(result, plan.TestSplit, pretrain).Write(report);

            var table = new Table().AddColumn("arm").AddColumn("test CER").AddColumn("test WER").AddColumn("starts from");
            foreach (var (name, arm) in new[] { ("pretrained", result.Pretrained), ("scratch", result.Scratch) })
                table.AddRow(name, $"{arm.Test.Cer:P1}", $"{arm.Test.Wer:P1}", Markup.Escape(arm.StartsFrom));
            AnsiConsole.MarkupLine($"[bold]test ({result.Pretrained.Test.Utterances.Count} utterances, greedy):[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"summary {Markup.Escape(summary)}; report {Markup.Escape(report)}; {clock.Elapsed:m\\:ss} in all.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A quickstart run folder left by another recipe or model (an earlier version's, or edited descriptions) is renamed out of the
    /// way with a line saying so, so the stage starts afresh instead of being refused or mixing two recipes.
    /// </summary>
    static void SetAsideIfChanged(ExperimentDescription run)
    {
        var folder = Experiment.Folder(run);
        var why = folder.StartDiffers(run)
                  ?? (run is FinetuneExperiment { Pretrained: not null } && File.Exists(folder.Description) && !File.Exists(folder.PretrainedStamp)
                      ? $"{folder.Path}: the run does not record which model it began from (it predates {ModelStamp.FileName})."
                      : null);
        if (why is null) return;
        var aside = $"{folder.Path}.replaced-{DateTime.Now:yyyyMMdd-HHmmss}";
        Directory.Move(folder.Path, aside);
        AnsiConsole.MarkupLine($"[yellow]{Markup.Escape($"{why} Moved the run to {aside}; the stage starts afresh.")}[/]");
    }
}
