using System.CommandLine;
using Wav2Vec.Ctc;
using Wav2Vec.Text;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec lm build --text FILE --order N --out FILE.arpa [--smoothing kn|wb] [--language en]</c>.</summary>
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
            if (!input.Exists) { Console.Error.WriteLine($"lm build: {input.FullName} does not exist."); return 2; }
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
        return lm;
    }
}
