using System.CommandLine;
using Wav2Vec.Checkpoints;
using Wav2Vec.Tools.Diagnostics;
using Wav2Vec.Torch;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec features</c>: one model output for one WAV file, written as float32 .npy for parity checks.</summary>
public sealed class FeaturesVerb : IVerb
{
    public int Order => 40;

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json + model.safetensors or pytorch_model.bin).", Required = true };
        var audio = new Option<string>("--audio") { Description = "16 kHz mono 16-bit PCM WAV file.", Required = true };
        var output = new Option<string>("--output") { Description = "extract | hidden | logits | quantized.", Required = true };
        var layer = new Option<int?>("--layer") { Description = "With --output hidden: hidden_states index (0 = encoder input; default: last_hidden_state)." };
        var file = new Option<string>("--out") { Description = "Output .npy file (float32, shape [1, T, dim]).", Required = true };
        var command = new Command("features", "Write a model's extract features, hidden states, CTC logits or quantized vectors for one WAV as .npy.");
        foreach (var option in new Option[] { model, audio, output, layer, file }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize();
            try
            {
                var shape = FeatureDump.Write(parse.GetValue(model)!, parse.GetValue(audio)!, FeatureDump.ParseKind(parse.GetValue(output)!),
                    parse.GetValue(layer), parse.GetValue(file)!);
                Console.WriteLine($"wrote {parse.GetValue(file)} [{string.Join(", ", shape)}] float32");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or CheckpointMismatchException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
