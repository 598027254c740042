using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Tools.Diagnostics;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec doctor</c>: versions, threads, devices, native-library status and TTS engines.</summary>
public sealed class DoctorVerb : IVerb
{
    public int Order => 0;

    public Command Build()
    {
        var command = new Command("doctor", "Check .NET, TorchSharp, libtorch, threads, devices, the native library and TTS engines.");
        command.SetAction(_ =>
        {
            var report = Doctor.Run();
            var table = new Table().AddColumn("check").AddColumn("found").AddColumn("");
            foreach (var c in report.Checks)
                table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Value), c.Healthy ? "[green]ok[/]" : "[red]problem[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(report.TorchWorks ? "[green]torch runs tensor operations.[/]" : "[red]torch cannot run a tensor operation.[/]");
            return report.TorchWorks ? 0 : 1;
        });
        return command;
    }
}
