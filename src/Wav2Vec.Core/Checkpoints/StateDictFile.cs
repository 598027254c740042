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
                CheckSafetensorsExtent(path);
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

    /// <summary>Checks that the header parses and that the file holds every byte the header promises.</summary>
    static void CheckSafetensorsExtent(string path)
    {
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.Read(lengthBytes, 0, 8) != 8) throw new InvalidDataException($"{path}: truncated safetensors file (no header length).");
        var headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8))
            throw new InvalidDataException($"{path}: truncated or corrupt safetensors file (header of {headerLength} bytes, file of {stream.Length}).");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonNode? header;
        try
        {
            header = JsonNode.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: corrupt safetensors header ({e.Message})", e);
        }
        var end = header!.AsObject().Where(kv => kv.Key != "__metadata__")
            .Select(kv => kv.Value!["data_offsets"]![1]!.GetValue<long>()).DefaultIfEmpty(0).Max();
        var available = stream.Length - 8 - (long)headerLength;
        if (end > available)
            throw new InvalidDataException($"{path}: truncated safetensors file: the header needs {end} data bytes, the file has {available}.");
    }
}
