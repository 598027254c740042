using System.CommandLine;
using Spectre.Console;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec evaluate --model DIR --manifest SPLIT.tsv [--beam N --lm FILE.arpa --alpha A --beta B] [--worst K] [--max-seconds S]</c></summary>
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
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longer utterances are reported as failures.", DefaultValueFactory = _ => 60 };
        var allowUnknown = new Option<bool>("--allow-unknown-keys") { Description = "Ignore weight-file tensors that belong to no wav2vec 2.0 model (listed) instead of refusing the model." };
        var command = new Command("evaluate",
            "WER and CER (with S/D/I counts and the worst utterances) of a CTC model on a labelled split; an utterance that cannot be scored is reported, the rest still scored (exit code 1).");
        foreach (var option in new Option[] { model, manifest, beam, lm, alpha, beta, worst, language, maxSeconds, allowUnknown }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var tsv = parse.GetValue(manifest)!;
            var utterances = FineTuning.Labelled(tsv.FullName);
            var languageModel = parse.GetValue(lm) is { } lmFile ? ArpaLanguageModel.Load(lmFile.FullName) : null;
            var options = new DecodingOptions(parse.GetValue(beam), languageModel, parse.GetValue(alpha), parse.GetValue(beta));
            using var recognizer = CtcRecognizer.Load(parse.GetValue(model)!.FullName, allowUnknownKeys: parse.GetValue(allowUnknown));
            var decode = new DecodeOptions(MaxSeconds: parse.GetValue(maxSeconds));
            var failures = 0;
            var result = Evaluation.RunEach(recognizer,
                utterances.Select(u => (u.Id, (Func<float[]>)(() => AudioDecoder.Decode(u.AudioPath, decode)), u.Transcript)),
                TranscriptNormalizer.For(parse.GetValue(language)!), options,
                failure =>
                {
                    failures++;
                    CliErrors.PrintFor($"utterance {failure.Id}", failure.Error, CliErrors.IsVerbose(parse));
                });
            var table = new Table().AddColumns("", "rate", "N", "S", "D", "I");
            foreach (var (name, c) in new[] { ("WER", result.Words), ("CER", result.Characters) })
                table.AddRow(name, $"{c.Rate:P2}", $"{c.ReferenceLength}", $"{c.Substitutions}", $"{c.Deletions}", $"{c.Insertions}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{result.Utterances.Count} of {utterances.Count} utterances scored, decoding: " +
                                   $"{(options.IsGreedy ? "greedy" : $"beam {options.BeamWidth}" + (languageModel is null ? "" : $", LM α={options.Alpha} β={options.Beta}"))}");
            var worstTable = new Table().AddColumns("utterance", "errors", "reference", "hypothesis");
            foreach (var u in result.Worst(parse.GetValue(worst)))
                worstTable.AddRow(Markup.Escape(u.Id), $"{u.Words.Errors}", Markup.Escape(u.Reference), Markup.Escape(u.Hypothesis));
            AnsiConsole.Write(worstTable);
            return CliErrors.Summary(failures, utterances.Count, "utterance(s)");
        });
        return command;
    }
}
