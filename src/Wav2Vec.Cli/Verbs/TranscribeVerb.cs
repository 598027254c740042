using System.CommandLine;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec transcribe --model DIR [--beam N --lm FILE.arpa --alpha A --beta B] [--json] [--max-seconds S] AUDIO...</c></summary>
public sealed class TranscribeVerb : IVerb
{
    public int Order => 70;

    public Command Build()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Fine-tuned CTC model directory (config.json, weights, vocab.json).", Required = true };
        var beam = new Option<int>("--beam") { Description = "Beam width; 1 without --lm is greedy decoding.", DefaultValueFactory = _ => 1 };
        var lm = new Option<FileInfo?>("--lm") { Description = "ARPA word n-gram LM for beam search (see `lm build`)." };
        var alpha = new Option<double>("--alpha") { Description = "LM weight α.", DefaultValueFactory = _ => 0.5 };
        var beta = new Option<double>("--beta") { Description = "Word-insertion bonus β.", DefaultValueFactory = _ => 1.0 };
        var json = new Option<bool>("--json") { Description = "One JSON object per file with words and characters, start/end seconds and scores." };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longer files are refused (memory stays bounded at any length: long audio runs in 30 s windows).", DefaultValueFactory = _ => 600 };
        var allowUnknown = new Option<bool>("--allow-unknown-keys") { Description = "Ignore weight-file tensors that belong to no wav2vec 2.0 model (listed) instead of refusing the model." };
        var audio = new Argument<FileInfo[]>("AUDIO") { Description = "WAV or MP3 files (any rate/channels; resampled to 16 kHz mono).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("transcribe", "Transcribe audio files with a fine-tuned CTC model: one line of text per file; a file that fails is reported and the rest still transcribed (exit code 1).");
        foreach (var option in new Option[] { model, beam, lm, alpha, beta, json, maxSeconds, allowUnknown }) command.Options.Add(option);
        command.Arguments.Add(audio);
        command.SetAction(parse =>
        {
            var languageModel = parse.GetValue(lm) is { } lmFile ? ArpaLanguageModel.Load(lmFile.FullName) : null;
            var options = new DecodingOptions(parse.GetValue(beam), languageModel, parse.GetValue(alpha), parse.GetValue(beta));
            using var recognizer = CtcRecognizer.Load(parse.GetValue(model)!.FullName, allowUnknownKeys: parse.GetValue(allowUnknown));
            var decode = new DecodeOptions(MaxSeconds: parse.GetValue(maxSeconds));
            var files = parse.GetValue(audio)!;
            var failed = 0;
            foreach (var file in files)
            {
                try
                {
                    var result = recognizer.Transcribe(AudioDecoder.Decode(file.FullName, decode), options);
                    Console.WriteLine(parse.GetValue(json) ? TranscriptionJson.Format(file.FullName, result.Text, result.Score, result.Words, result.Characters) : result.Text);
                }
                catch (Exception e) when (CliErrors.IsPerInput(e))
                {
                    failed++;
                    CliErrors.PrintFor(file.FullName, e, CliErrors.IsVerbose(parse));
                }
            }
            return CliErrors.Summary(failed, files.Length, "file(s)");
        });
        return command;
    }
}
