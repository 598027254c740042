using System.CommandLine;
using Wav2Vec.Bench;

namespace Wav2Vec.Cli.Verbs;

/// <summary>
/// <c>./wav2vec bench [--preset tiny|small|base] [--dtype fp32|bf16] [--threads N] [--only SECTION...] [--json]</c>:
/// inference, training steps, data pipeline, memory, and the forward pass and training steps split into parts, each
/// against its peer measured in the same run (ONNX Runtime, the other dtype, libtorch's matmul rate, the whole pass or
/// step). Run it on a quiet machine: every number is a median of alternating rounds.
/// </summary>
public sealed class BenchVerb : IVerb
{
    public int Order => 95;

    public Command Build()
    {
        var preset = new Option<string>("--preset") { Description = "Architecture: tiny, small or base.", DefaultValueFactory = _ => "base" };
        var dtype = new Option<string[]>("--dtype") { Description = "fp32 and/or bf16 (default both; bf16 training is mixed precision).", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "libtorch and ONNX Runtime threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var only = new Option<string[]>("--only") { Description = "Sections: roofline, inference, attention, training, data, memory, profile, train-profile.", AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per alternating measurement.", DefaultValueFactory = _ => 9 };
        var steps = new Option<int>("--memory-steps") { Description = "Training steps of the memory-growth check.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch") { Description = "Utterances in the training batch (4 s each).", DefaultValueFactory = _ => 8 };
        var noOrt = new Option<bool>("--no-ort") { Description = "Skip the ONNX Runtime comparison." };
        var onnx = new Option<FileInfo?>("--onnx") { Description = "ONNX file of the same weights (default: exported by benchmarks/export_onnx.py)." };
        var python = new Option<string>("--python") { Description = "Python with torch and torchaudio for the export.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noDropout = new Option<bool>("--no-dropout") { Description = "Train with every dropout and layer drop of the preset at 0 (to see what the random masks cost)." };
        var quick = new Option<bool>("--quick") { Description = "One round, tiny batches: checks that the bench runs, measures nothing." };
        var command = new Command("bench", "Measure inference, training steps, data pipeline and memory against ONNX Runtime, the other dtype and libtorch's matmul rate.");
        foreach (var option in new Option[] { preset, dtype, threads, json, only, rounds, steps, batch, noOrt, onnx, python, noDropout, quick }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            try
            {
                var options = new BenchOptions(parse.GetValue(preset)!, Dtypes: parse.GetValue(dtype) is { Length: > 0 } d ? d : null,
                    Threads: parse.GetValue(threads), Rounds: parse.GetValue(rounds), MemorySteps: parse.GetValue(steps), Batch: parse.GetValue(batch),
                    Sections: Sections(parse.GetValue(only)), Ort: !parse.GetValue(noOrt), OnnxPath: parse.GetValue(onnx)?.FullName,
                    Python: parse.GetValue(python)!, NoDropout: parse.GetValue(noDropout));
                if (parse.GetValue(quick)) options = options.Quick();
                var report = BenchRun.Run(options, section => Console.Error.WriteLine($"bench: {section} ..."));
                Console.WriteLine(parse.GetValue(json) ? report.ToJson() : report.ToText());
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The sections named (all when none are; <c>train-profile</c> is <see cref="BenchSections.TrainProfile"/>); an unknown name is an error listing the choices.</summary>
    static BenchSections Sections(string[]? names) => names is not { Length: > 0 }
        ? BenchSections.All
        : names.Aggregate(BenchSections.None, (all, name) => all | (Enum.TryParse<BenchSections>(name.Replace("-", ""), ignoreCase: true, out var s) && s != BenchSections.None
            ? s
            : throw new ArgumentException($"--only: unknown section '{name}': use roofline, inference, attention, training, data, memory, profile or train-profile")));
}
