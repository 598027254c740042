using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Wav2Vec.Checkpoints;

/// <summary>The weight-file formats of a Hugging Face model directory.</summary>
public enum WeightFormat
{
    /// <summary><c>model.safetensors</c> (the default).</summary>
    Safetensors,
    /// <summary><c>pytorch_model.bin</c>, PyTorch's zip/pickle <c>torch.save</c> format.</summary>
    PyTorch,
}

/// <summary>
/// Reads and writes a name → tensor map in safetensors or PyTorch format through TorchSharp.PyBridge, turning any
/// failure on a damaged file into an <see cref="InvalidDataException"/> that names the file.
/// </summary>
public static class StateDictFile
{
    /// <summary>The file name Hugging Face uses for <paramref name="format"/>.</summary>
    public static string FileName(WeightFormat format) =>
        format == WeightFormat.Safetensors ? "model.safetensors" : "pytorch_model.bin";

    /// <summary>All tensors of <paramref name="path"/> (format from the extension: <c>.safetensors</c>, else PyTorch).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Weight file not found: {path}", path);
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                CheckSafetensorsHeader(path);
                using var stream = File.OpenRead(path);
                return Safetensors.LoadStateDict(stream, false, null);
            }
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            return table.Keys.Cast<string>().ToDictionary(k => k, k => (Tensor)table[k]!);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt or truncated weight file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> in <paramref name="format"/>, in key order.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, WeightFormat format)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        using var stream = File.Create(path);
        if (format == WeightFormat.Safetensors) WriteSafetensors(stream, ordered);
        else PyTorchPickler.PickleStateDict(stream, ordered.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu()), false);
    }

    /// <summary>
    /// Hand-written safetensors writer: PyBridge's omits <c>"__metadata__": {"format": "pt"}</c>, without which
    /// transformers refuses the file, and no served package writes it. Layout: u64 header length, JSON header padded
    /// with spaces to a multiple of 8, then the tensors contiguous in header order.
    /// </summary>
    static void WriteSafetensors(Stream stream, List<KeyValuePair<string, Tensor>> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        var data = new List<byte[]>();
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            var bytes = cpu.bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDType(cpu.dtype, name),
                ["shape"] = new JsonArray(cpu.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
            data.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        stream.Write(BitConverter.GetBytes((ulong)padded));
        stream.Write(json);
        for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var bytes in data) stream.Write(bytes);
    }

    static string SafetensorsDType(ScalarType dtype, string name) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Tensor '{name}' has dtype {dtype}, which safetensors output does not support here."),
    };

    /// <summary>Largest safetensors header read (the format's own limit).</summary>
    public const int MaxSafetensorsHeaderBytes = 100_000_000;

    static readonly Dictionary<string, int> SafetensorsDTypeBytes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1, ["I16"] = 2, ["U16"] = 2, ["F16"] = 2,
        ["BF16"] = 2, ["I32"] = 4, ["U32"] = 4, ["F32"] = 4, ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>
    /// Checks a safetensors header before any tensor is allocated: a bounded header length, a JSON object whose
    /// entries each have a known dtype, a non-negative shape and <c>data_offsets</c> spanning exactly shape × dtype
    /// bytes, and offsets that tile the data section without overlap or gap, ending where the file ends.
    /// </summary>
    static void CheckSafetensorsHeader(string path)
    {
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) != 8)
            throw new InvalidDataException($"{path}: truncated safetensors file (no header length).");
        var headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8))
            throw new InvalidDataException($"{path}: truncated or corrupt safetensors file (header of {headerLength} bytes, file of {stream.Length}).");
        if (headerLength > MaxSafetensorsHeaderBytes)
            throw new InvalidDataException($"{path}: safetensors header of {headerLength} bytes is over the format's limit of {MaxSafetensorsHeaderBytes}.");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException($"{path}: the safetensors header is not a JSON object.");
            _ = header.Count; // a duplicate name surfaces only when the object is first enumerated
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: corrupt safetensors header ({e.Message})", e);
        }
        var spans = header.Where(kv => kv.Key != "__metadata__").Select(kv => TensorSpan(path, kv.Key, kv.Value)).OrderBy(s => s.Begin).ThenBy(s => s.End).ToList();
        long end = 0;
        foreach (var (name, begin, stop) in spans)
        {
            if (begin < end) throw new InvalidDataException($"{path}: tensor '{name}' (bytes {begin}–{stop}) overlaps another tensor's data (which ends at {end}).");
            if (begin > end) throw new InvalidDataException($"{path}: gap in the data before tensor '{name}' (bytes {end}–{begin} belong to no tensor).");
            end = stop;
        }
        var available = stream.Length - 8 - (long)headerLength;
        if (end > available)
            throw new InvalidDataException($"{path}: truncated safetensors file: the header needs {end} data bytes, the file has {available}.");
        if (end < available)
            throw new InvalidDataException($"{path}: {available - end} bytes after the last tensor belong to no tensor (a damaged or polyglot file).");
    }

    /// <summary>The checked byte range of one header entry.</summary>
    static (string Name, long Begin, long End) TensorSpan(string path, string name, JsonNode? entry)
    {
        InvalidDataException Bad(string problem) => new($"{path}: tensor '{name}' in the safetensors header {problem}.");
        if (entry is not JsonObject o) throw Bad("is not an object");
        var dtype = o["dtype"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : throw Bad("has no dtype");
        if (!SafetensorsDTypeBytes.TryGetValue(dtype, out var size)) throw Bad($"has unknown dtype '{dtype}'");
        if (o["shape"] is not JsonArray shape) throw Bad("has no shape");
        if (o["data_offsets"] is not JsonArray { Count: 2 } offsets) throw Bad("has no [begin, end] data_offsets");
        long bytes = size;
        foreach (var dim in shape)
        {
            if (dim is not JsonValue v || !v.TryGetValue<long>(out var n) || n < 0) throw Bad($"has a bad shape {shape.ToJsonString()}");
            try { bytes = checked(bytes * n); }
            catch (OverflowException) { throw Bad($"has a shape {shape.ToJsonString()} too large for any file"); }
        }
        if (offsets[0] is not JsonValue b || !b.TryGetValue<long>(out var begin) || offsets[1] is not JsonValue e || !e.TryGetValue<long>(out var end)
            || begin < 0 || end < begin)
            throw Bad($"has bad data_offsets {offsets.ToJsonString()}");
        if (end - begin != bytes) throw Bad($"spans {end - begin} bytes but its {dtype} shape {shape.ToJsonString()} needs {bytes}");
        return (name, begin, end);
    }
}
