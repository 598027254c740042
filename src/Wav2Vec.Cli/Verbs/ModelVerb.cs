using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Checkpoints;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec model pack CHECKPOINT --out models/NAME [--dtype bfloat16]</c>: a checkpoint made ready to ship in <c>models/</c>.</summary>
public sealed class ModelVerb : IVerb
{
    public int Order => 55;

    public Command Build()
    {
        var checkpoint = new Argument<DirectoryInfo>("CHECKPOINT") { Description = "Model directory to pack: runs/NAME/best, runs/NAME/final or runs/NAME/checkpoints/step-N." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Package folder, e.g. models/NAME.", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "Storage dtype of the weights: bfloat16, float16 or float32.", DefaultValueFactory = _ => "bfloat16" };
        dtype.AcceptOnlyFromAmong("bfloat16", "float16", "float32");
        var pack = new Command("pack", "Write a checkpoint as a model package: config, weights in a smaller dtype, the run's experiment.json and metrics.csv, a README.")
        {
            checkpoint, output, dtype,
        };
        pack.SetAction(parse =>
        {
            var storage = ModelPackage.ParseDType(parse.GetValue(dtype)!);
            var report = ModelPackage.Pack(parse.GetValue(checkpoint)!.FullName, parse.GetValue(output)!.FullName, storage);
            AnsiConsole.MarkupLineInterpolated(
                $"{report.Parameters:N0} weights as {parse.GetValue(dtype)} ({report.WeightBytes / 1e6:0.0} MB) in {Path.GetRelativePath(".", report.Directory)}");
            if (report.Run is { } run)
                AnsiConsole.MarkupLineInterpolated($"with experiment.json and metrics.csv of {Path.GetRelativePath(".", run)}; README.md says how to make it again (fill in its Notes).");
            else
                AnsiConsole.MarkupLine("[yellow]no experiment.json above the checkpoint: README.md has no command to make it again.[/]");
            return 0;
        });
        var command = new Command("model", "Model directories: pack a checkpoint for the repository's models/ folder.");
        command.Subcommands.Add(pack);
        return command;
    }
}
