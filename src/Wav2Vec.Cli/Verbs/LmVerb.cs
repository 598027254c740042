using System.CommandLine;
using Wav2Vec.Ctc;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec lm build --text FILE --order N --out FILE.arpa [--smoothing kn|wb] [--language en]</c> and <c>./wav2vec lm tune</c>.</summary>
public sealed class LmVerb : IVerb
{
    public int Order => 60;

    public Command Build()
    {
        var text = new Option<FileInfo>("--text") { Description = "Text file, one sentence per line (training transcripts, never dev/test text).", Required = true };
        var order = new Option<int>("--order") { Description = "N-gram order.", DefaultValueFactory = _ => 4 };
        var output = new Option<FileInfo>("--out") { Description = "ARPA file to write.", Required = true };
        var smoothing = new Option<string>("--smoothing") { Description = "kn (modified Kneser–Ney) or wb (Witten–Bell).", DefaultValueFactory = _ => "kn" };
        smoothing.AcceptOnlyFromAmong("kn", "wb");
        var language = new Option<string>("--language") { Description = "Transcript normalisation language (en, cy, ru, ...).", DefaultValueFactory = _ => TranscriptNormalizer.DefaultLanguage };

        var build = new Command("build", "Build an ARPA word n-gram LM from a text file, normalised like the transcripts.");
        foreach (var option in new Option[] { text, order, output, smoothing, language }) build.Options.Add(option);
        build.SetAction(parse =>
        {
            var input = parse.GetValue(text)!;
            if (!input.Exists) throw new FileNotFoundException($"{input.FullName}: no such text file.", input.FullName);
            var method = parse.GetValue(smoothing) == "wb" ? Smoothing.WittenBell : Smoothing.ModifiedKneserNey;
            var (model, report) = LanguageModelBuilder.BuildFromText(input.FullName, parse.GetValue(order), method,
                TranscriptNormalizer.For(parse.GetValue(language)!));
            model.Save(parse.GetValue(output)!.FullName);
            Console.WriteLine($"{report.Sentences} sentences → {parse.GetValue(output)!.FullName}: " +
                              string.Join(", ", report.NgramsPerOrder.Select((n, i) => $"{n} {i + 1}-grams")));
            if (method == Smoothing.ModifiedKneserNey)
                for (int n = 0; n < report.Discounts.Count; n++)
                {
                    var (d1, d2, d3, fellBack) = report.Discounts[n];
                    Console.WriteLine($"  order {n + 1} discounts {d1:0.###} {d2:0.###} {d3:0.###}{(fellBack ? " (fallback: too few n-grams seen once..four times)" : "")}");
                }
            return 0;
        });
        var lm = new Command("lm", "Word n-gram language models for CTC beam search.");
        lm.Subcommands.Add(build);
        lm.Subcommands.Add(Tune(language));
        return lm;
    }

    /// <summary><c>lm tune --model DIR --manifest dev.tsv --lm FILE.arpa [--beam N] [--alphas ..] [--betas ..]</c>.</summary>
    static Command Tune(Option<string> language)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Fine-tuned CTC model directory.", Required = true };
        var manifest = new Option<FileInfo>("--manifest") { Description = "Tuning split (dev, never test): SPLIT.tsv beside SPLIT.wrd/SPLIT.ltr.", Required = true };
        var lmFile = new Option<FileInfo>("--lm") { Description = "ARPA word LM.", Required = true };
        var beam = new Option<int>("--beam") { Description = "Beam width.", DefaultValueFactory = _ => LmWeightSearch.DefaultBeamWidth };
        var alphas = new Option<double[]>("--alphas") { Description = "LM weights α to try.", DefaultValueFactory = _ => [.. LmWeightSearch.DefaultAlphas], AllowMultipleArgumentsPerToken = true };
        var betas = new Option<double[]>("--betas") { Description = "Word-insertion bonuses β to try.", DefaultValueFactory = _ => [.. LmWeightSearch.DefaultBetas], AllowMultipleArgumentsPerToken = true };
        var tune = new Command("tune", "Grid-search the LM weight α and word bonus β of beam search on a dev split; prints WER/CER per point and the best.");
        foreach (var option in new Option[] { model, manifest, lmFile, beam, alphas, betas, language }) tune.Options.Add(option);
        tune.SetAction(parse =>
        {
            var tsv = parse.GetValue(manifest)!;
            var utterances = FineTuning.Labelled(tsv.FullName);
            using var recognizer = CtcRecognizer.Load(parse.GetValue(model)!.FullName);
            var points = LmWeightSearch.Run(recognizer, utterances.Select(u => u.Decode()),
                TranscriptNormalizer.For(parse.GetValue(language)!), ArpaLanguageModel.Load(parse.GetValue(lmFile)!.FullName), parse.GetValue(beam),
                parse.GetValue(alphas), parse.GetValue(betas),
                p => Console.WriteLine($"alpha {p.Alpha,5:0.##} beta {p.Beta,5:0.##}  WER {p.Result.Wer,7:P1}  CER {p.Result.Cer,7:P1}"),
                parallelism: TorchSharp.torch.get_num_threads());
            var best = points[0];
            Console.WriteLine($"best on {utterances.Count} utterances of {tsv.Name}: --alpha {best.Alpha} --beta {best.Beta} (WER {best.Result.Wer:P1}, CER {best.Result.Cer:P1})");
            return 0;
        });
        return tune;
    }
}
