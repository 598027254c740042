using System.Text.Json;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Model;

/// <summary>
/// Parity on the fixtures made by Fixtures/make_fixtures.py (torchaudio 0.13 references) for the configurations the
/// shared fixture lacks: layer-norm conv blocks, conv bias, pre-LN, odd positional kernels, other conv stacks,
/// one or three codebooks, padded batches with an attention mask, parametrised weight-norm names.
/// </summary>
public class GeneratedFixtureParityTests
{
    const double Tolerance = 1e-4;

    public static TheoryData<string> Fixtures => ["hf-tiny-layer-stable", "hf-tiny-layer-post", "hf-tiny-group-stable"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ForwardReproducesEveryLayerLogitsAndQuantizer(string name)
    {
        var dir = Fixture.Dir(name);
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2Checkpoint.LoadPreTraining(dir).Model;
        using var head = Wav2Vec2Checkpoint.LoadCtc(dir).Model;
        using var _ = no_grad();
        var wave = Fixture.Wave(dir);
        var output = model.Forward(wave);
        var b = output.Base;
        Fixture.AssertClose(Fixture.Expected(dir, "conv_features.npy"), b.ConvFeatures, Tolerance, "conv_features");
        Fixture.AssertClose(Fixture.Expected(dir, "extract_features.npy"), b.ExtractFeatures, Tolerance, "extract_features");
        Fixture.AssertClose(Fixture.Expected(dir, "encoder_input.npy"), b.HiddenStates[0], Tolerance, "encoder_input");
        var layers = model.Config.NumHiddenLayers;
        // Hugging Face's pre-LN hidden_states end with the normed output instead of the last layer's raw one.
        var compared = model.Config.DoStableLayerNorm ? layers - 1 : layers;
        for (var n = 0; n < compared; n++)
            Fixture.AssertClose(Fixture.Expected(dir, $"hidden_states_layer{n}.npy"), b.HiddenStates[n + 1], Tolerance, $"layer {n}");
        Assert.Equal(layers + 1, b.HiddenStates.Count);
        Fixture.AssertClose(Fixture.Expected(dir, "last_hidden_state.npy"), b.LastHiddenState, Tolerance, "last_hidden_state");
        Fixture.AssertClose(Fixture.Expected(dir, "logits.npy"), head.Forward(wave).Logits, Tolerance, "logits");

        Fixture.AssertPreTrainingHeadsMatch(dir, output, Tolerance);
    }

    [Theory]
    [InlineData("hf-tiny-layer-stable")]
    [InlineData("hf-tiny-layer-post")]
    public void PaddedBatchWithAttentionMaskMatchesReferenceOnRealFrames(string name)
    {
        var dir = Fixture.Dir(name);
        using var scope = NewDisposeScope();
        using var model = Wav2Vec2ForCtc.FromPretrained(dir);
        using var _ = no_grad();
        var first = Fixture.Wave(dir, "input.wav");
        var second = Fixture.Wave(dir, "input2.wav");
        var pad = first.shape[1] - second.shape[1];
        var batch = cat([first, nn.functional.pad(second, [0, pad])], 0);
        var mask = cat([ones_like(first), nn.functional.pad(ones_like(second), [0, pad])], 0).to(ScalarType.Int64);
        var output = model.Forward(batch, mask);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected", "lengths.json")));
        var frames = json.RootElement.GetProperty("frames").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(frames, output.Base.FrameLengths);
        var expected = Fixture.Expected(dir, "batch_logits.npy");
        for (var row = 0; row < 2; row++)
            Fixture.AssertClose(expected[row].narrow(0, 0, frames[row]), output.Logits[row].narrow(0, 0, frames[row]), Tolerance, $"row {row}");
    }
}
