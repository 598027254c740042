using TorchSharp;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>One part of the inference forward pass in one dtype.</summary>
/// <param name="Part">conv 0 … conv N, feature projection, positional conv, attention, feed-forward, norms and residuals, lm_head.</param>
/// <param name="Ms">Its time; the Transformer parts are summed over the layers in each round.</param>
/// <param name="Gflop">Its multiply-add FLOPs (<see cref="FlopCount"/>) in billions; 0 for the norms and residuals.</param>
public sealed record PartTiming(string Part, Sample Ms, double Gflop)
{
    /// <summary>Achieved GFLOP/s (0 for a part without products).</summary>
    public double Gflops => Gflop / (Ms.Median / 1000);
}

/// <summary>The forward pass of one dtype split into parts, timed in the same alternating rounds as the whole pass.</summary>
/// <param name="Parts">The parts in network order.</param>
/// <param name="WholeMs">The whole forward pass (waveform → logits), as the inference section times it.</param>
public sealed record ForwardProfile(IReadOnlyList<PartTiming> Parts, Sample WholeMs)
{
    /// <summary>Sum of the parts' medians: close to <see cref="WholeMs"/> when the parts cover the pass.</summary>
    public double SumMs => Parts.Sum(p => p.Ms.Median);

    /// <summary>
    /// Milliseconds the parts would take at <paramref name="matmulGflops"/> (their FLOPs at the matmul rate; the
    /// norms and residuals take none): the pass's floor if every product ran at libtorch's matmul rate.
    /// </summary>
    public double MsAtMatmulRate(double matmulGflops) => Parts.Sum(p => p.Gflop) / matmulGflops * 1000;
}

/// <summary>
/// Where the inference time goes: each conv block, the feature projection, the positional conv, the Transformer's
/// attention, feed-forward and norms (each summed over the layers), and the CTC head, run on the inputs they get in a
/// real forward pass of <see cref="BenchOptions.InferenceSeconds"/> of audio, in alternation with the whole pass.
/// </summary>
public static class ForwardProfiling
{
    /// <summary>A profile per dtype of the model saved in <paramref name="modelDir"/> (each dtype on its own copy).</summary>
    public static IReadOnlyDictionary<string, ForwardProfile> Measure(string modelDir, BenchOptions options)
    {
        var samples = (long)(options.InferenceSeconds * 16000);
        var audio = SyntheticAudio.Make(samples, options.Seed);
        var profiles = new Dictionary<string, ForwardProfile>();
        foreach (var dtype in options.DtypeNames)
        {
            using var model = Wav2Vec2ForCtc.FromPretrained(modelDir);
            model.to(Dtypes.Of(dtype));
            model.eval();
            profiles[dtype] = Profile(model, audio, options);
        }
        return profiles;
    }

    static ForwardProfile Profile(Wav2Vec2ForCtc model, float[] audio, BenchOptions options)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var config = model.Config;
        var network = model.Wav2Vec2;
        var dtype = model.Wav2Vec2.ParameterType;
        var flops = FlopCount.Forward(config, audio.Length);
        double Gflop(Func<string, bool> layer) => flops.Where(l => layer(l.Layer)).Sum(l => l.Flops) / 1e9;
        var wave = tensor(audio, [1, audio.Length]);

        var parts = new List<(string Name, double Gflop, Action Run)>();
        var x = wave.to(dtype).unsqueeze(1);
        foreach (var (block, i) in network.FeatureEncoder.Blocks.Select((b, i) => (b, i)))
        {
            var input = x;
            parts.Add(($"conv {i}", Gflop(l => l == $"conv {i}"), () => block.Forward(input)));
            x = block.Forward(input);
        }
        var conv = x;
        parts.Add(("feature projection", Gflop(l => l == "feature projection"), () => network.FeatureProjection.Forward(conv.transpose(1, 2))));
        var projected = network.FeatureProjection.Forward(conv.transpose(1, 2)).Projected;

        // A stand-in layer norm of the model's width and dtype times the norms the blocks apply (same shapes and kernels).
        var norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        norm.to(dtype);
        var eps = config.LayerNormEps;
        var positional = network.Encoder.PositionalEmbedding;
        parts.Add(("positional conv", Gflop(l => l == "positional conv"), () => Norms.LayerNorm(norm, projected + positional.Forward(projected), eps)));
        var encoded = network.Encoder.Forward(projected, null);
        var layers = network.Encoder.Layers;
        var inputs = encoded.HiddenStates.Take(layers.Count).ToArray();
        parts.Add(("attention", Gflop(l => l.Contains("attention", StringComparison.Ordinal)), () =>
        {
            for (var n = 0; n < layers.Count; n++) layers[n].Parts.Attention.Forward(inputs[n], null);
        }));
        parts.Add(("feed-forward", Gflop(l => l.EndsWith("feed-forward", StringComparison.Ordinal)), () =>
        {
            for (var n = 0; n < layers.Count; n++) layers[n].Parts.FeedForward.Forward(inputs[n]);
        }));
        parts.Add(("norms and residuals", 0, () =>
        {
            for (var n = 0; n < layers.Count; n++)
            {
                var z = Norms.LayerNorm(norm, inputs[n] + inputs[n], eps);
                Norms.LayerNorm(norm, z + inputs[n], eps);
            }
        }));
        var last = encoded.LastHiddenState;
        parts.Add(("lm_head", Gflop(l => l == "lm_head"), () => model.LmHead.forward(last)));

        Action Scoped(Action run) => () =>
        {
            using var s = NewDisposeScope();
            run();
        };
        var whole = Scoped(() => model.Forward(wave).Logits.to(ScalarType.Float32).data<float>());
        var timed = Alternation.Measure(options.Warmup, options.Rounds, [whole, .. parts.Select(p => Scoped(p.Run))]);
        norm.Dispose();
        return new ForwardProfile([.. parts.Select((p, i) => new PartTiming(p.Name, timed[i + 1], p.Gflop))], timed[0]);
    }
}
