using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Model;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// Random safetensors headers and config fields: each is a clear error naming the file, or a success whose size stays
/// within what the file holds and the memory available; never another exception, a hang or an unbounded allocation.
/// </summary>
[Collection(AloneCollection.Name)]
public class UntrustedInputFuzzTests
{
    static readonly long[] Sizes = [-1, 0, 1, 2, 3, 4, 7, 16, 64, 100, 128, 512, 768, 1024, 8192, 65_536, 1_000_000, int.MaxValue, 1L << 40];

    static Gen<T[]> Between<T>(Gen<T> gen, int min, int max) => Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(gen, n));

    static Gen<JsonNode?> Value() => Gen.OneOf(
        Gen.Elements(Sizes).Select(v => (JsonNode?)JsonValue.Create(v)),
        Gen.Elements<JsonNode?>(null, JsonValue.Create("x"), JsonValue.Create(1.5), JsonValue.Create(true), new JsonObject()),
        Between(Gen.Elements(Sizes), 0, 20).Select(list => (JsonNode?)new JsonArray(list.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())));

    static Gen<JsonObject> Entry() =>
        from dtype in Gen.Elements("F32", "F16", "BF16", "I64", "BOOL", "F8_E4M3", "X7", "")
        from shape in Between(Gen.Elements(0L, 1, 2, 3, 5, -2, 1L << 40), 0, 3)
        from shapeNode in Gen.Frequency((5, Gen.Constant((JsonNode?)new JsonArray(shape.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()))), (1, Value()))
        from offsets in Gen.Frequency((5, Gen.Constant<JsonNode?>(null)), (1, Value()))
        select new JsonObject { ["dtype"] = dtype, ["shape"] = shapeNode, ["data_offsets"] = offsets };

    static readonly Dictionary<string, int> Bytes = new() { ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["BOOL"] = 1, ["F8_E4M3"] = 1 };

    /// <summary>A header with consistent offsets where the entry allows (so successes happen), then perturbed.</summary>
    static Gen<(byte[] File, long DataBytes)> Safetensors() =>
        from entries in Between(Entry(), 0, 4)
        from metadata in Gen.Elements(true, false)
        from lengthDelta in Gen.Frequency((6, Gen.Constant(0L)), (1, Gen.Elements(-9L, -1, 1, 1L << 33, long.MinValue)))
        from dataDelta in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(-8, 8)))
        select Build(entries, metadata, lengthDelta, dataDelta);

    static (byte[], long) Build(IReadOnlyList<JsonObject> entries, bool metadata, long lengthDelta, int dataDelta)
    {
        var header = new JsonObject();
        if (metadata) header["__metadata__"] = new JsonObject { ["format"] = "pt" };
        long offset = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = (JsonObject)entries[i].DeepClone();
            if (entry["data_offsets"] is null)
            {
                var bytes = entry["shape"] is JsonArray shape && shape.All(d => d is JsonValue v && v.TryGetValue<long>(out var n) && n is >= 0 and < 64)
                            && Bytes.TryGetValue((string)entry["dtype"]!, out var size)
                    ? shape.Aggregate((long)size, (a, d) => a * (long)d!)
                    : 4;
                entry["data_offsets"] = new JsonArray(offset, offset + bytes);
                offset += bytes;
            }
            header[$"t{i}"] = entry;
        }
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var data = new byte[Math.Max(0, offset + dataDelta)];
        return ([.. BitConverter.GetBytes((ulong)(json.Length + lengthDelta)), .. json, .. data], data.Length);
    }

    [Property(MaxTest = 200)]
    public Property SafetensorsHeadersGiveAClearErrorOrTensorsTheFileHolds()
    {
        TorchRuntime.Initialize();
        var path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.safetensors");
        return Prop.ForAll(Safetensors().ToArbitrary(), c =>
        {
            File.WriteAllBytes(path, c.File);
            try
            {
                var tensors = StateDictFile.Read(path);
                var held = tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize);
                foreach (var t in tensors.Values) t.Dispose();
                return held == c.DataBytes;
            }
            catch (InvalidDataException e)
            {
                return e.Message.StartsWith(path, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    [Property(MaxTest = 200)]
    public Property DamagedCopiesOfARealWeightFileGiveAClearErrorOrLoad()
    {
        TorchRuntime.Initialize();
        var original = File.ReadAllBytes(Path.Combine(Tests.Model.Fixture.Dir(), "model.safetensors"));
        var headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        var damage = from position in Gen.Choose(0, headerEnd + 64)
                     from value in Gen.Choose(0, 255)
                     from cut in Gen.Frequency((3, Gen.Constant(original.Length)), (1, Gen.Choose(0, original.Length)))
                     select (position, (byte)value, cut);
        var path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.safetensors");
        return Prop.ForAll(damage.ToArbitrary(), d =>
        {
            var bytes = (byte[])original.Clone();
            bytes[d.position] = d.Item2;
            File.WriteAllBytes(path, bytes[..d.cut]);
            try
            {
                foreach (var t in StateDictFile.Read(path).Values) t.Dispose();
                return true;
            }
            catch (InvalidDataException e)
            {
                return e.Message.StartsWith(path, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    static readonly string[] Fields =
    [
        "num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size", "conv_dim", "conv_kernel", "conv_stride",
        "num_conv_pos_embeddings", "num_conv_pos_embedding_groups", "vocab_size", "num_codevector_groups", "num_codevectors_per_group",
        "codevector_dim", "proj_codevector_dim", "num_negatives", "mask_time_length", "mask_time_min_masks", "pad_token_id", "model_type",
        "layer_norm_eps", "mask_time_prob",
    ];

    [Property(MaxTest = 300)]
    public Property ConfigFieldsGiveAClearErrorOrAModelThatFitsAndBuilds()
    {
        TorchRuntime.Initialize();
        var tiny = JsonNode.Parse(Wav2Vec2Presets.Tiny().ToJson())!.AsObject();
        var configs = from changes in Between(Gen.Elements(Fields).Zip(Value()), 1, 4)
                      select Apply(tiny, changes);
        const long available = 1L << 30;
        return Prop.ForAll(configs.ToArbitrary(), json =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Wav2Vec2Config config;
            try
            {
                config = Wav2Vec2Config.FromJson(json, "fuzz/config.json").Validate("fuzz/config.json", available);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                return e.Message.StartsWith("fuzz/config.json", StringComparison.Ordinal)
                       && GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20;
            }
            if (2 * Wav2Vec2ConfigMemory.WeightBytes(config) > available) return false;
            if (Wav2Vec2ConfigMemory.NetworkParameters(config) > 3_000_000) return true;
            using var model = new Wav2Vec2ForCtc(config);
            return model.parameters().Sum(p => p.numel()) ==
                   Wav2Vec2ConfigMemory.NetworkParameters(config) + Wav2Vec2ConfigMemory.CtcHeadParameters(config);
        });
    }

    static string Apply(JsonObject baseline, IEnumerable<(string Field, JsonNode? Value)> changes)
    {
        var json = (JsonObject)baseline.DeepClone();
        foreach (var (field, value) in changes)
            json[field] = field == "model_type" && value is JsonValue { } v && v.TryGetValue<long>(out _) ? "bert" : value?.DeepClone();
        return json.ToJsonString();
    }
}
