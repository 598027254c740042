using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Checkpoints;
using Wav2Vec.Experiments;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Cli.Verbs;

/// <summary>
/// <c>./wav2vec model pack CHECKPOINT --out models/NAME [--dtype bfloat16]</c>: a checkpoint made ready to ship in <c>models/</c>;
/// <c>./wav2vec model probe RUN [--checkpoint DIR]</c>: a pre-training checkpoint measured on its run's dev batch again.
/// </summary>
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
        var run = new Argument<DirectoryInfo>("RUN") { Description = "A pre-training run folder (runs/NAME, with its experiment.json)." };
        var probed = new Option<DirectoryInfo?>("--checkpoint") { Description = "Checkpoint of the run to measure (default: its best/, else final/), e.g. runs/NAME/checkpoints/step-400." };
        var probe = new Command("probe", "Measure a pre-training checkpoint on its run's fixed dev batch again: dev accuracy against chance, contrastive loss, perplexity, the go/no-go verdict.")
        {
            run, probed,
        };
        probe.SetAction(parse =>
        {
            var measured = DevProbing.Measure(parse.GetValue(run)!.FullName, parse.GetValue(probed)?.FullName, m => AnsiConsole.MarkupLineInterpolated($"[grey]{m}[/]"));
            var m = measured.Metrics;
            string Value(string name, string format) => m.TryGetValue(name, out var v) ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "—";
            var table = new Table().AddColumn("measure").AddColumn("value");
            table.AddRow("dev accuracy", Value(DiagnosticNames.DevAccuracy, "0.000"));
            table.AddRow("chance (distractors left)", Value(DiagnosticNames.DevChanceAccuracy, "0.000"));
            table.AddRow("× chance", m.TryGetValue(DiagnosticNames.DevAccuracy, out var a) && m.TryGetValue(DiagnosticNames.DevChanceAccuracy, out var c) ? (a / c).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "—");
            table.AddRow("dev contrastive (chance)", $"{Value(DiagnosticNames.DevContrastive, "0.000")} ({Value(DiagnosticNames.DevChanceContrastive, "0.000")})");
            table.AddRow("dev probability perplexity", Value(DiagnosticNames.DevPerplexity, "0.0"));
            table.AddRow("distractors equal to their positive", Value(DiagnosticNames.DevPrefix + DiagnosticNames.DistractorsEqual, "0.000"));
            table.AddRow("learns (≥ 5× chance, perplexity < ½·G·V)", measured.Learns switch { true => "yes", false => "no", null => "— (no quantizer)" });
            AnsiConsole.MarkupLineInterpolated($"{Path.GetRelativePath(".", measured.Checkpoint)} on the dev batch of {Path.GetRelativePath(".", measured.Run)}:");
            AnsiConsole.Write(table);
            return 0;
        });
        var command = new Command("model", "Model directories: pack a checkpoint for the repository's models/ folder, probe a pre-training checkpoint on its dev batch.");
        command.Subcommands.Add(pack);
        command.Subcommands.Add(probe);
        return command;
    }
}
