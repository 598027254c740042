using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("wav2vec-ckpt-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    static string FixtureDir => Tests.Model.Fixture.Dir();

    static void AssertBitIdentical(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
            Assert.True(tensor.bytes.SequenceEqual(b[name].bytes), $"tensor '{name}' changed in the round trip");
    }

    [Theory]
    [InlineData(WeightFormat.Safetensors)]
    [InlineData(WeightFormat.PyTorch)]
    public void SavedPreTrainingDirectoryLoadsBackBitIdenticallyWithConfigAndVocab(WeightFormat format)
    {
        using var original = Wav2Vec2ForPreTraining.FromPretrained(FixtureDir);
        original.SavePretrained(temp, format, copyFrom: FixtureDir);
        Assert.True(File.Exists(Path.Combine(temp, StateDictFile.FileName(format))));
        Assert.Equal(File.ReadAllText(Path.Combine(FixtureDir, "vocab.json")), File.ReadAllText(Path.Combine(temp, "vocab.json")));
        var reloaded = Wav2Vec2Checkpoint.LoadPreTraining(temp, KeyMatching.Strict);
        using var model = reloaded.Model;
        AssertBitIdentical(original, model);
        Assert.Equal(Wav2Vec2Checkpoint.WithArchitecture(original.Config, original), reloaded.Config);
        Assert.Empty(reloaded.Report.Missing);
        Assert.Empty(reloaded.Report.Unexpected);
    }

    [Fact]
    public void FreshModelInBf16RoundTripsBitIdentically()
    {
        Torch.TorchRuntime.Seed(3);
        using var original = new Wav2Vec2ForCtc(Wav2Vec2Presets.Tiny() with { FeatExtractNorm = "layer", ConvBias = true, DoStableLayerNorm = true });
        original.to(ScalarType.BFloat16);
        original.SavePretrained(temp);
        using var again = Wav2Vec2Checkpoint.Load(temp, KeyMatching.Strict, null, c =>
        {
            var model = new Wav2Vec2ForCtc(c);
            model.to(ScalarType.BFloat16);
            return model;
        }).Model;
        AssertBitIdentical(original, again);
    }

    [Fact]
    public void PreTrainingCheckpointBecomesCtcModelWithFreshHeadAndReport()
    {
        using (var pre = Wav2Vec2ForPreTraining.FromPretrained(FixtureDir)) pre.SavePretrained(temp);
        var loaded = Wav2Vec2Checkpoint.LoadCtc(temp);
        using var ctc = loaded.Model;
        Assert.Equal(["lm_head.bias", "lm_head.weight"], loaded.Report.Missing);
        Assert.Equal(["project_hid.bias", "project_hid.weight", "project_q.bias", "project_q.weight",
            "quantizer.codevectors", "quantizer.weight_proj.bias", "quantizer.weight_proj.weight"], loaded.Report.Unexpected);
        Assert.Contains("newly initialised: lm_head.bias", loaded.Report.ToString());
        using var fixture = Wav2Vec2ForCtc.FromPretrained(FixtureDir);
        var shared = fixture.Wav2Vec2.state_dict();
        foreach (var (name, tensor) in ctc.Wav2Vec2.state_dict())
            Assert.True(tensor.equal(shared[name]).all().item<bool>(), name);
    }

    [Fact]
    public void CtcCheckpointBecomesPreTrainingModelWithFreshQuantizer()
    {
        using (var ctc = Wav2Vec2ForCtc.FromPretrained(FixtureDir)) ctc.SavePretrained(temp);
        var loaded = Wav2Vec2Checkpoint.LoadPreTraining(temp);
        loaded.Model.Dispose();
        Assert.Contains("quantizer.codevectors", loaded.Report.Missing);
        Assert.Equal(["lm_head.bias", "lm_head.weight"], loaded.Report.Unexpected);
    }

    [Fact]
    public void StrictLoadListsMissingAndUnexpectedKeys()
    {
        var e = Assert.Throws<CheckpointMismatchException>(() => Wav2Vec2Checkpoint.LoadCtc(FixtureDir, KeyMatching.Strict));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("Unexpected keys (7)", e.Message);
        Assert.Contains("quantizer.codevectors", e.Message);
        Assert.Contains("Missing keys (0)", e.Message);
    }

    [Fact]
    public void MissingNetworkTensorIsAnErrorEvenWhenHeadsMayDiffer()
    {
        var tensors = StateDictFile.Read(Path.Combine(FixtureDir, "model.safetensors"));
        tensors.Remove("wav2vec2.encoder.layers.1.final_layer_norm.bias");
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Config.Load(Path.Combine(FixtureDir, "config.json")));
        var e = Assert.Throws<CheckpointMismatchException>(() => StateDictLoader.Load(model, tensors, "edited", KeyMatching.SharedNetwork));
        Assert.Contains("wav2vec2.encoder.layers.1.final_layer_norm.bias", e.Message);
    }

    [Fact]
    public void ShapeMismatchNamesTheTensorAndBothShapes()
    {
        File.Copy(Path.Combine(FixtureDir, "model.safetensors"), Path.Combine(temp, "model.safetensors"));
        var config = Wav2Vec2Config.Load(Path.Combine(FixtureDir, "config.json")) with { VocabSize = 40 };
        config.Save(Path.Combine(temp, "config.json"));
        var e = Assert.Throws<CheckpointMismatchException>(() => Wav2Vec2Checkpoint.LoadCtc(temp));
        Assert.Contains("'lm_head.weight' has shape [32, 64], the model expects [40, 64]", e.Message);
    }

    [Fact]
    public void IntegerTensorWhereFloatsBelongIsADtypeErrorNamingTheTensor()
    {
        var tensors = StateDictFile.Read(Path.Combine(FixtureDir, "model.safetensors"));
        tensors["lm_head.bias"] = tensors["lm_head.bias"].to(ScalarType.Int64);
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Config.Load(Path.Combine(FixtureDir, "config.json")));
        var e = Assert.Throws<CheckpointMismatchException>(() => StateDictLoader.Load(model, tensors, "edited", KeyMatching.SharedNetwork));
        Assert.Contains("'lm_head.bias' has dtype Int64", e.Message);
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("pytorch_model.bin")]
    public void TruncatedWeightFileIsAnErrorNamingTheFile(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FixtureDir, file));
        var path = Path.Combine(temp, file);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void GarbageSafetensorsHeaderIsAnErrorNamingTheFile()
    {
        var path = Path.Combine(temp, "model.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(12UL), .. "not json at "u8.ToArray(), 0, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void DirectoryWithoutWeightsSaysWhatItHolds()
    {
        File.WriteAllText(Path.Combine(temp, "config.json"), "{}");
        var e = Assert.Throws<FileNotFoundException>(() => Wav2Vec2Checkpoint.LoadCtc(temp));
        Assert.Contains("config.json", e.Message);
        Assert.Contains(temp, e.Message);
    }

    [Fact]
    public void ParametrizedWeightNormNamesLoadAsWeightGAndWeightV()
    {
        var loaded = Wav2Vec2Checkpoint.LoadCtc(Tests.Model.Fixture.Dir("hf-tiny-layer-post"));
        loaded.Model.Dispose();
        Assert.Contains("wav2vec2.encoder.pos_conv_embed.conv.parametrizations.weight.original0 → wav2vec2.encoder.pos_conv_embed.conv.weight_g", loaded.Report.Renamed);
        Assert.Contains("wav2vec2.encoder.pos_conv_embed.conv.weight_v", loaded.Report.Loaded);
    }

    [Fact]
    public void SavedConfigNamesTheModelClassAndKeepsEverythingElse()
    {
        using (var pre = Wav2Vec2ForPreTraining.FromPretrained(FixtureDir)) pre.SavePretrained(temp);
        var saved = Wav2Vec2Config.Load(Path.Combine(temp, "config.json"));
        Assert.Equal("Wav2Vec2ForPreTraining", saved.Extra["architectures"][0].GetString());
        var original = Wav2Vec2Config.Load(Path.Combine(FixtureDir, "config.json"));
        Assert.Equal(original, saved with { Extra = new(saved.Extra) { ["architectures"] = original.Extra["architectures"] } });
    }

    [Fact]
    public void BareModelCheckpointGetsTheNetworkPrefix()
    {
        var tensors = StateDictFile.Read(Path.Combine(FixtureDir, "model.safetensors"))
            .Where(kv => kv.Key.StartsWith("wav2vec2.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["wav2vec2.".Length..], kv => kv.Value);
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Config.Load(Path.Combine(FixtureDir, "config.json")));
        var report = StateDictLoader.Load(model, tensors, "bare", KeyMatching.SharedNetwork);
        Assert.Equal(tensors.Count, report.Loaded.Count);
        Assert.Contains("encoder.layer_norm.weight → wav2vec2.encoder.layer_norm.weight", report.Renamed);
    }
}
