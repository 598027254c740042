using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.IO;
using static TorchSharp.torch;

namespace Wav2Vec.Tools.Diagnostics;

/// <summary>Which tensor <see cref="FeatureDump"/> writes.</summary>
public enum FeatureKind
{
    /// <summary>extract_features [1, T, C]: the feature-projection LayerNorm output (the quantizer's input).</summary>
    Extract,
    /// <summary>Hugging Face hidden_states[layer] [1, T, D]; last_hidden_state when no layer is given.</summary>
    Hidden,
    /// <summary>CTC logits [1, T, vocab]; needs a checkpoint with lm_head.</summary>
    Logits,
    /// <summary>Eval-mode quantizer output before project_q [1, T, codevector_dim]; needs a checkpoint with a quantizer.</summary>
    Quantized,
}

/// <summary>
/// Runs a Hugging Face model directory on one audio file (batch 1, eval mode, float32) and returns one named
/// output, so anyone can compare against their own PyTorch run.
/// </summary>
public static class FeatureDump
{
    /// <summary>Parses <c>extract|hidden|logits|quantized</c>; anything else is an error naming the value.</summary>
    public static FeatureKind ParseKind(string text) => text.Trim().ToLowerInvariant() switch
    {
        "extract" => FeatureKind.Extract,
        "hidden" => FeatureKind.Hidden,
        "logits" => FeatureKind.Logits,
        "quantized" => FeatureKind.Quantized,
        _ => throw new ArgumentException($"Unknown --output '{text}': use extract, hidden, logits or quantized."),
    };

    /// <summary>
    /// The <paramref name="kind"/> output [1, T, …] of the model in <paramref name="modelDirectory"/> for
    /// <paramref name="samples"/> (16 kHz mono floats). <paramref name="layer"/> picks hidden_states[layer]
    /// (0 = encoder input, num_hidden_layers = last_hidden_state).
    /// </summary>
    public static Tensor Compute(string modelDirectory, float[] samples, FeatureKind kind, int? layer = null)
    {
        if (layer is not null && kind != FeatureKind.Hidden)
            throw new ArgumentException("--layer applies only to --output hidden.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var wave = tensor(samples).unsqueeze(0);
        Tensor result;
        if (kind == FeatureKind.Quantized)
        {
            var loaded = Wav2Vec2Checkpoint.LoadPreTraining(modelDirectory);
            using var model = loaded.Model;
            RequireHead(loaded.Report, "quantizer.codevectors", "a quantizer (a pre-training checkpoint)");
            result = model.Forward(wave).Quantizer!.Quantized;
        }
        else
        {
            var loaded = Wav2Vec2Checkpoint.LoadCtc(modelDirectory);
            using var model = loaded.Model;
            if (kind == FeatureKind.Logits)
            {
                RequireHead(loaded.Report, "lm_head.weight", "a CTC head lm_head (a fine-tuned checkpoint)");
                result = model.Forward(wave).Logits;
            }
            else
            {
                var output = model.Wav2Vec2.Forward(wave);
                var states = output.HiddenStates;
                if (layer is { } n && (n < 0 || n >= states.Count))
                    throw new ArgumentException($"--layer {n} is out of range: {modelDirectory} has hidden states 0…{states.Count - 1}.");
                result = kind == FeatureKind.Extract ? output.ExtractFeatures : layer is { } i ? states[i] : output.LastHiddenState;
            }
        }
        return result.to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Computes the output for a 16 kHz mono 16-bit WAV and writes it as a float32 .npy file; returns its shape.</summary>
    public static long[] Write(string modelDirectory, string audioPath, FeatureKind kind, int? layer, string npyPath)
    {
        using var result = Compute(modelDirectory, Pcm16Wave.Read(audioPath), kind, layer);
        Npy.Write(npyPath, result);
        return result.shape;
    }

    static void RequireHead(LoadReport report, string key, string what)
    {
        if (report.Missing.Contains(key))
            throw new InvalidOperationException($"{report.Source} has no {key}: this output needs {what}.");
    }
}
