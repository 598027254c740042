using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec evaluate --model DIR --manifest SPLIT.tsv [--beam N --lm FILE.arpa --alpha A --beta B] [--worst K]</c></summary>
public sealed class EvaluateVerb : IVerb
{
    public int Order => 71;

    public Command Build()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Fine-tuned CTC model directory.", Required = true };
        var manifest = new Option<FileInfo>("--manifest") { Description = "Labelled split: SPLIT.tsv beside SPLIT.wrd/SPLIT.ltr.", Required = true };
        var beam = new Option<int>("--beam") { Description = "Beam width; 1 without --lm is greedy.", DefaultValueFactory = _ => 1 };
        var lm = new Option<FileInfo?>("--lm") { Description = "ARPA word LM for beam search." };
        var alpha = new Option<double>("--alpha") { Description = "LM weight α.", DefaultValueFactory = _ => 0.5 };
        var beta = new Option<double>("--beta") { Description = "Word-insertion bonus β.", DefaultValueFactory = _ => 1.0 };
        var worst = new Option<int>("--worst") { Description = "How many worst utterances to list.", DefaultValueFactory = _ => 10 };
        var language = new Option<string>("--language") { Description = "Transcript normalisation language.", DefaultValueFactory = _ => TranscriptNormalizer.DefaultLanguage };
        var command = new Command("evaluate", "WER and CER (with S/D/I counts and the worst utterances) of a CTC model on a labelled split.");
        foreach (var option in new Option[] { model, manifest, beam, lm, alpha, beta, worst, language }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var tsv = parse.GetValue(manifest)!;
            var utterances = FineTuning.Labelled(tsv.FullName);
            var languageModel = parse.GetValue(lm) is { } lmFile ? ArpaLanguageModel.Load(lmFile.FullName) : null;
            var options = new DecodingOptions(parse.GetValue(beam), languageModel, parse.GetValue(alpha), parse.GetValue(beta));
            using var recognizer = CtcRecognizer.Load(parse.GetValue(model)!.FullName);
            var result = Evaluation.Run(recognizer,
                utterances.Select(u => u.Decode()),
                TranscriptNormalizer.For(parse.GetValue(language)!), options);
            var table = new Table().AddColumns("", "rate", "N", "S", "D", "I");
            foreach (var (name, c) in new[] { ("WER", result.Words), ("CER", result.Characters) })
                table.AddRow(name, $"{c.Rate:P2}", $"{c.ReferenceLength}", $"{c.Substitutions}", $"{c.Deletions}", $"{c.Insertions}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{utterances.Count} utterances, decoding: {(options.IsGreedy ? "greedy" : $"beam {options.BeamWidth}" + (languageModel is null ? "" : $", LM α={options.Alpha} β={options.Beta}"))}");
            var worstTable = new Table().AddColumns("utterance", "errors", "reference", "hypothesis");
            foreach (var u in result.Worst(parse.GetValue(worst)))
                worstTable.AddRow(Markup.Escape(u.Id), $"{u.Words.Errors}", Markup.Escape(u.Reference), Markup.Escape(u.Hypothesis));
            AnsiConsole.Write(worstTable);
            return 0;
        });
        return command;
    }
}
