using System.CommandLine;
using System.Globalization;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Text;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec align --model DIR --audio FILE --text "..." [--language en] [--json] [--max-seconds S]</c></summary>
public sealed class AlignVerb : IVerb
{
    public int Order => 72;

    public Command Build()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Fine-tuned CTC model directory.", Required = true };
        var audio = new Option<FileInfo>("--audio") { Description = "WAV or MP3 file.", Required = true };
        var text = new Option<string>("--text") { Description = "The known transcript.", Required = true };
        var language = new Option<string>("--language") { Description = "Transcript normalisation language.", DefaultValueFactory = _ => TranscriptNormalizer.DefaultLanguage };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longer files are refused.", DefaultValueFactory = _ => 600 };
        var allowUnknown = new Option<bool>("--allow-unknown-keys") { Description = "Ignore weight-file tensors that belong to no wav2vec 2.0 model (listed) instead of refusing the model." };
        var command = new Command("align", "CTC forced alignment (Viterbi) of a known transcript: start/end seconds and score per word.");
        foreach (var option in new Option[] { model, audio, text, language, json, maxSeconds, allowUnknown }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            using var recognizer = CtcRecognizer.Load(parse.GetValue(model)!.FullName, allowUnknownKeys: parse.GetValue(allowUnknown));
            var file = parse.GetValue(audio)!.FullName;
            var tokenizer = new Tokenizer(recognizer.Vocabulary, TranscriptNormalizer.For(parse.GetValue(language)!));
            var (alignment, words) = recognizer.Align(AudioDecoder.Decode(file, new DecodeOptions(MaxSeconds: parse.GetValue(maxSeconds))), parse.GetValue(text)!, tokenizer, file);
            if (parse.GetValue(json))
                Console.WriteLine(TranscriptionJson.Format(file, string.Join(' ', words.Select(w => w.Word)), alignment.LogProbability, words,
                    Timestamps.Characters(alignment.Spans, recognizer.Vocabulary, recognizer.SecondsPerFrame)));
            else
                foreach (var w in words)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{w.StartSeconds,8:0.000} {w.EndSeconds,8:0.000} {w.Score,6:0.000}  {w.Word}"));
            return 0;
        });
        return command;
    }
}
