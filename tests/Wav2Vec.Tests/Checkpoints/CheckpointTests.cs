using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
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

    /// <summary>Writes a safetensors file from a header object and a data section, as the format lays them out.</summary>
    static void WriteSafetensors(string path, JsonObject header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data]);
    }

    [Fact]
    public void APreTrainingCheckpointWithAVocabularyDoesNotTranscribe()
    {
        using (var pre = Wav2Vec2ForPreTraining.FromPretrained(FixtureDir)) pre.SavePretrained(temp, copyFrom: FixtureDir);
        Assert.True(File.Exists(Path.Combine(temp, "vocab.json")));
        var e = Assert.Throws<CheckpointMismatchException>(() => CtcRecognizer.Load(temp));
        Assert.Contains("lm_head", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void NonFiniteWeightsAreAnErrorNamingTheTensor()
    {
        using (var ctc = Wav2Vec2ForCtc.FromPretrained(FixtureDir))
        {
            using (no_grad()) ctc.LmHead.weight![3, 5].fill_(float.NaN);
            ctc.SavePretrained(temp, copyFrom: FixtureDir);
        }
        var e = Assert.Throws<CheckpointMismatchException>(() => CtcRecognizer.Load(temp));
        Assert.Contains("lm_head.weight", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void TensorsOfNoWav2Vec2ModelAreAnErrorUnlessAllowed()
    {
        var tensors = StateDictFile.Read(Path.Combine(FixtureDir, "model.safetensors"));
        tensors["classifier.weight"] = zeros(2, 64);
        StateDictFile.Write(Path.Combine(temp, "model.safetensors"), tensors, WeightFormat.Safetensors);
        foreach (var name in new[] { "config.json", "vocab.json" }) File.Copy(Path.Combine(FixtureDir, name), Path.Combine(temp, name));
        var e = Assert.Throws<CheckpointMismatchException>(() => CtcRecognizer.Load(temp));
        Assert.Contains("classifier.weight", e.Message);
        Assert.Contains("--allow-unknown-keys", e.Message);
        var loaded = Wav2Vec2Checkpoint.LoadCtc(temp, allowUnknownKeys: true);
        loaded.Model.Dispose();
        Assert.Contains("classifier.weight", loaded.Report.Unexpected);
        using var recognizer = CtcRecognizer.Load(temp, allowUnknownKeys: true);
    }

    [Theory]
    [InlineData(0, 16, 8, 24, "overlaps")]     // second tensor starts inside the first
    [InlineData(0, 16, 20, 36, "gap")]         // four bytes belong to no tensor
    [InlineData(0, 16, 16, 28, "needs 16")]    // span shorter than shape × dtype
    public void SafetensorsOffsetsMustTileTheDataExactly(long a0, long a1, long b0, long b1, string expected)
    {
        var header = new JsonObject
        {
            ["a"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(4), ["data_offsets"] = new JsonArray(a0, a1) },
            ["b"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(4), ["data_offsets"] = new JsonArray(b0, b1) },
        };
        var path = Path.Combine(temp, "model.safetensors");
        WriteSafetensors(path, header, new byte[Math.Max(a1, b1)]);
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AHeaderThatPromisesAHugeTensorFailsBeforeAllocatingIt()
    {
        var header = new JsonObject
        {
            ["a"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(1_000_000_000L, 1_000_000_000L), ["data_offsets"] = new JsonArray(0, 16) },
        };
        var path = Path.Combine(temp, "model.safetensors");
        WriteSafetensors(path, header, new byte[16]);
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.Read(path));
        Assert.Contains("'a'", e.Message);
    }
}
