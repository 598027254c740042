using TorchSharp;
using Wav2Vec.IO;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>Paths and comparisons for the reference fixtures under Fixtures/.</summary>
static class Fixture
{
    public static string Dir(string name = "hf-tiny-group")
    {
        TorchRuntime.Initialize();
        return Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    }

    public static Tensor Expected(string dir, string file) => Npy.Read(Path.Combine(dir, "expected", file));

    /// <summary>A [1, L] waveform from a 16-bit WAV.</summary>
    public static Tensor Wave(string dir, string file = "input.wav") => tensor(Pcm16Wave.Read(Path.Combine(dir, file))).unsqueeze(0);

    /// <summary>Asserts equal shapes and max |a − b| ≤ tolerance, reporting the difference.</summary>
    public static double AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        var diff = (expected.to(ScalarType.Float32) - actual.detach().to(ScalarType.Float32)).abs().max().item<float>();
        Assert.True(diff <= tolerance, $"{what}: max abs diff {diff} > {tolerance}");
        return diff;
    }

    /// <summary>
    /// The eval-mode quantizer and projection outputs of a pre-training model against a fixture's expected arrays:
    /// quantizer logits, code indices (exact), quantized vectors, both projections and both perplexities.
    /// </summary>
    public static void AssertPreTrainingHeadsMatch(string dir, Wav2Vec.Model.PreTrainingOutput output, double tolerance)
    {
        var q = output.Quantizer!;
        AssertClose(Expected(dir, "quantizer_logits.npy"), q.Logits, tolerance, "quantizer_logits");
        Assert.Equal(Expected(dir, "codevector_idx.npy").data<long>().ToArray(), q.CodevectorIndices.data<long>().ToArray());
        AssertClose(Expected(dir, "quantized.npy"), q.Quantized, tolerance, "quantized");
        AssertClose(Expected(dir, "projected_quantized.npy"), output.ProjectedTargets, tolerance, "projected_quantized");
        AssertClose(Expected(dir, "projected_states.npy"), output.ProjectedStates, tolerance, "projected_states");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected", "perplexity.json")));
        Assert.Equal(json.RootElement.GetProperty("prob_perplexity").GetDouble(), q.ProbPerplexity.item<float>(), 1e-4);
        Assert.Equal(json.RootElement.GetProperty("code_perplexity").GetDouble(), q.CodePerplexity.item<float>(), 1e-4);
    }
}
