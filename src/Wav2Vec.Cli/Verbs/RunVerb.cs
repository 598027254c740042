using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec run EXPERIMENT.json [--resume]</c>: runs a pre-training or fine-tuning description.</summary>
public sealed class RunVerb : IVerb
{
    public int Order => 20;

    public Command Build()
    {
        var file = new Argument<FileInfo>("EXPERIMENT") { Description = "Experiment description (JSON, \"kind\": pretrain or finetune)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run's newest checkpoint (after a crash, kill or Ctrl+C)." };
        var precision = new Option<string?>("--precision") { Description = "Override the description's precision: fp32, bf16 (mixed) or auto." };
        var command = new Command("run", "Run an experiment description; metrics go to runs/NAME/metrics.{jsonl,csv}, checkpoints to runs/NAME/checkpoints.");
        command.Arguments.Add(file);
        command.Options.Add(resume);
        command.Options.Add(precision);
        command.SetAction(async (parse, _) =>
        {
            var description = ExperimentJson.Load(parse.GetValue(file)!.FullName);
            if (parse.GetValue(precision) is { } overridden) description = (description with { Precision = overridden }).Validate("--precision");
            var last = await ExperimentRunner.RunToEnd(description, parse.GetValue(resume));
            var folder = Experiment.Folder(description);
            AnsiConsole.MarkupLine(last is null
                ? $"[green]nothing to do:[/] {Markup.Escape(folder.Path)} is complete."
                : $"[green]step {last.Step}[/] {Markup.Escape(ProgressText.Metrics(last))} → {Markup.Escape(folder.Path)}");
            return 0;
        });
        return command;
    }
}
