using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Experiments;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec finetune EXPERIMENT.json [--resume]</c>: CTC fine-tuning of a pre-trained model (see <see cref="FinetuneExperiment"/>).</summary>
public sealed class FinetuneVerb : IVerb
{
    public int Order => 50;

    public Command Build()
    {
        var file = new Argument<FileInfo>("EXPERIMENT") { Description = "Fine-tuning description (JSON, \"kind\": \"finetune\"; see experiments/finetune-10min-pretrained.json)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run's newest checkpoint." };
        var command = new Command("finetune", "Fine-tune a pre-trained model with CTC on a labelled split; keeps the best model by dev WER or CER (bestBy) in runs/NAME/best.");
        command.Arguments.Add(file);
        command.Options.Add(resume);
        command.SetAction(async (parse, _) =>
        {
            var experiment = ExperimentJson.Load<FinetuneExperiment>(parse.GetValue(file)!.FullName);
            var last = await ExperimentRunner.RunToEnd(experiment, parse.GetValue(resume));
            var folder = Experiment.Folder(experiment);
            AnsiConsole.MarkupLine($"step {last?.Step}: best model (lowest dev {experiment.BestBy.ToUpperInvariant()}) in {Markup.Escape(folder.Best)}, " +
                                   $"last in {Markup.Escape(folder.Final)}; metrics in {Markup.Escape(folder.MetricsCsv)}");
            return 0;
        });
        return command;
    }
}
