using System.CommandLine;
using System.Reactive.Linq;
using Spectre.Console;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec sweep SWEEP.json</c>: runs every point of a grid and writes a results table (CSV).</summary>
public sealed class SweepVerb : IVerb
{
    public int Order => 21;

    public Command Build()
    {
        var file = new Argument<FileInfo>("SWEEP") { Description = "Sweep file: {\"baseline\": FILE or {...}, \"grid\": {\"field.path\": [values]}, \"results\": \"x.csv\"}." };
        var command = new Command("sweep", "Run a grid over any fields of a description, one point after another; writes the results table as CSV.");
        command.Arguments.Add(file);
        command.SetAction(async (parse, _) =>
        {
            var sweep = SweepFile.Load(parse.GetValue(file)!.FullName);
            var points = sweep.Points();
            AnsiConsole.MarkupLine($"{points.Count} runs: {Markup.Escape(string.Join("; ", points.Select(p => $"{p.Description.Name} {p.Label}")))}");
            var reports = await SweepFile.RunAll(points).ShowProgress().ToList();
            var rows = SweepFile.Table(points, reports, out var header);
            SweepFile.WriteCsv(sweep.Results, header, rows);
            var table = new Table().AddColumns(header.Select(Markup.Escape).ToArray());
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"results → {Markup.Escape(sweep.Results)}");
            return 0;
        });
        return command;
    }
}
