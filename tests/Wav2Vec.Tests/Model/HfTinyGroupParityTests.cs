using System.Text.Json;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>The shared hf-tiny-group fixture (torchaudio 0.13 reference outputs) reproduced from either weight file.</summary>
public class HfTinyGroupParityTests
{
    const double Tolerance = 1e-4;

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("pytorch_model.bin")]
    public void CtcForwardReproducesEveryReferenceArray(string weights)
    {
        var dir = Fixture.Dir();
        using var scope = NewDisposeScope();
        var loaded = Wav2Vec2Checkpoint.LoadCtc(dir, weightFile: Path.Combine(dir, weights));
        using var model = loaded.Model;
        using var _ = no_grad();
        var output = model.Forward(Fixture.Wave(dir));
        var b = output.Base;
        Fixture.AssertClose(Fixture.Expected(dir, "conv_features.npy"), b.ConvFeatures, Tolerance, "conv_features");
        Fixture.AssertClose(Fixture.Expected(dir, "extract_features.npy"), b.ExtractFeatures, Tolerance, "extract_features");
        Fixture.AssertClose(Fixture.Expected(dir, "projected_features.npy"), b.Projected, Tolerance, "projected_features");
        Fixture.AssertClose(Fixture.Expected(dir, "encoder_input.npy"), b.HiddenStates[0], Tolerance, "encoder_input");
        Fixture.AssertClose(Fixture.Expected(dir, "hidden_states_layer0.npy"), b.HiddenStates[1], Tolerance, "layer 0");
        Fixture.AssertClose(Fixture.Expected(dir, "hidden_states_layer1.npy"), b.HiddenStates[2], Tolerance, "layer 1");
        Fixture.AssertClose(Fixture.Expected(dir, "last_hidden_state.npy"), b.LastHiddenState, Tolerance, "last_hidden_state");
        var expectedLogits = Fixture.Expected(dir, "logits.npy");
        Fixture.AssertClose(expectedLogits, output.Logits, Tolerance, "logits");
        Assert.Equal(expectedLogits.argmax(-1).data<long>().ToArray(), output.Logits.argmax(-1).data<long>().ToArray());
        Assert.Equal([145L], b.FrameLengths);
        Assert.Contains("quantizer.codevectors", loaded.Report.Unexpected);
    }

    [Fact]
    public void PaddedGroupNormBatchMatchesReferenceWithoutAttentionMask()
    {
        var dir = Fixture.Dir();
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2ForCtc.FromPretrained(dir);
        using var _ = no_grad();
        var first = Fixture.Wave(dir, "input.wav");
        var second = nn.functional.pad(Fixture.Wave(dir, "input2.wav"), [0, 5038]);
        var logits = model.Forward(cat([first, second], 0)).Logits;
        Fixture.AssertClose(Fixture.Expected(dir, "batch_logits.npy"), logits, Tolerance, "batch_logits");
    }

    [Fact]
    public void PreTrainingQuantizerReproducesIndicesVectorsProjectionsAndPerplexities()
    {
        var dir = Fixture.Dir();
        using var scope = NewDisposeScope();
        var loaded = Wav2Vec2Checkpoint.LoadPreTraining(dir);
        using var model = loaded.Model;
        using var _ = no_grad();
        var output = model.Forward(Fixture.Wave(dir));
        Fixture.AssertPreTrainingHeadsMatch(dir, output, Tolerance);
        Assert.Equal(["lm_head.bias", "lm_head.weight"], loaded.Report.Unexpected);
    }

    [Fact]
    public void GreedyCollapseOfLogitsGivesReferenceTranscript()
    {
        var dir = Fixture.Dir();
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2ForCtc.FromPretrained(dir);
        using var _ = no_grad();
        var ids = model.Forward(Fixture.Wave(dir)).Logits[0].argmax(-1).data<long>().ToArray();
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(dir, "vocab.json")))!
            .ToDictionary(kv => (long)kv.Value, kv => kv.Key);
        var tokens = ids.Where((id, i) => i == 0 || id != ids[i - 1]).Where(id => id != 0).Select(id => vocab[id]);
        var text = string.Concat(tokens).Replace('|', ' ').Trim();
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "expected", "greedy.txt")).TrimEnd('\n'), text);
    }
}
