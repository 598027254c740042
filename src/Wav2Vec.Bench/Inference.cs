using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>Forward passes on one utterance: ours per dtype and, when available, ONNX Runtime, alternating.</summary>
/// <param name="Seconds">Length of the utterance.</param>
/// <param name="Gflop">Forward FLOPs (<see cref="FlopCount"/>) in billions.</param>
/// <param name="Runs">Timings by name: fp32, bf16, ort.</param>
/// <param name="OrtUnavailable">Why ONNX Runtime was not compared (null when it was, or was not asked for).</param>
/// <param name="OrtMaxLogitDiff">Largest |ours − ORT| over the float32 logits: the two run the same weights.</param>
public sealed record InferenceResult(double Seconds, double Gflop, IReadOnlyDictionary<string, Sample> Runs, string? OrtUnavailable, double? OrtMaxLogitDiff);

/// <summary>Measures <see cref="InferenceResult"/>.</summary>
public static class Inference
{
    /// <summary>
    /// Times <paramref name="model"/> (float32) and a bf16 copy on <see cref="BenchOptions.InferenceSeconds"/> of audio,
    /// and <paramref name="onnx"/> when given, in alternation at the same thread count.
    /// </summary>
    public static InferenceResult Measure(Wav2Vec2ForCtc model, string modelDir, OnnxModel? onnx, string? ortUnavailable, BenchOptions options)
    {
        var samples = (long)(options.InferenceSeconds * 16000);
        var audio = SyntheticAudio.Make(samples, options.Seed);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var wave = tensor(audio, [1, samples]);
        var names = new List<string>();
        var runs = new List<Action>();
        var copies = new List<Wav2Vec2ForCtc>();
        foreach (var dtype in options.DtypeNames)
        {
            var copy = dtype == "fp32" ? model : Wav2Vec2ForCtc.FromPretrained(modelDir);
            if (copy != model) copies.Add(copy);
            copy.to(Dtypes.Of(dtype));
            names.Add(dtype);
            runs.Add(() =>
            {
                using var s = NewDisposeScope();
                copy.Forward(wave).Logits.to(ScalarType.Float32).data<float>();
            });
        }
        double? diff = null;
        if (onnx is not null)
        {
            var (logits, shape) = onnx.Run(audio);
            var ours = model.Forward(wave).Logits;
            diff = (tensor(logits, [.. shape.Select(d => (long)d)]) - ours).abs().max().item<float>();
            names.Add("ort");
            runs.Add(() => onnx.Run(audio));
        }
        var timed = Alternation.Measure(options.Warmup, options.Rounds, [.. runs]);
        foreach (var copy in copies) copy.Dispose();
        return new InferenceResult(options.InferenceSeconds, FlopCount.Total(model.Config, samples) / 1e9,
            names.Zip(timed).ToDictionary(p => p.First, p => p.Second), ortUnavailable, diff);
    }
}
