using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.IO;

/// <summary>
/// Minimal NumPy <c>.npy</c> (format 1.0, C order, little-endian) reader and writer for float32 and int64 arrays.
/// Hand-written: neither TorchSharp nor TorchSharp.PyBridge nor any served package reads or writes .npy.
/// </summary>
public static partial class Npy
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a float32 (<c>&lt;f4</c>) or int64 (<c>&lt;i8</c>) array as a CPU tensor of that dtype and shape.</summary>
    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a .npy file (bad magic).");
        int headerLength = bytes[6] == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int dataStart = (bytes[6] == 1 ? 10 : 12) + headerLength;
        if (dataStart > bytes.Length) throw new InvalidDataException($"{path}: truncated .npy header.");
        var header = Encoding.ASCII.GetString(bytes, bytes[6] == 1 ? 10 : 12, headerLength);
        var descr = DescrPattern().Match(header).Groups[1].Value;
        if (FortranPattern().IsMatch(header)) throw new InvalidDataException($"{path}: Fortran-order arrays are not supported.");
        var shapeText = ShapePattern().Match(header).Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var (dtype, size) = descr switch
        {
            "<f4" => (ScalarType.Float32, 4),
            "<i8" => (ScalarType.Int64, 8),
            _ => throw new InvalidDataException($"{path}: dtype '{descr}' is not supported (use <f4 or <i8)."),
        };
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (bytes.Length - dataStart < count * size)
            throw new InvalidDataException($"{path}: truncated: {count} elements of {size} bytes need {count * size} bytes, found {bytes.Length - dataStart}.");
        var tensor = empty(shape, dtype);
        tensor.bytes = bytes.AsSpan(dataStart, (int)(count * size));
        return tensor;
    }

    /// <summary>Writes <paramref name="tensor"/> (float32 or int64, any device) as a version 1.0 .npy file.</summary>
    public static void Write(string path, Tensor tensor)
    {
        var descr = tensor.dtype switch
        {
            ScalarType.Float32 => "<f4",
            ScalarType.Int64 => "<i8",
            _ => throw new ArgumentException($"Cannot write dtype {tensor.dtype} to {path}: only float32 and int64 are supported."),
        };
        var shape = tensor.shape.Length == 1 ? $"({tensor.shape[0]},)" : $"({string.Join(", ", tensor.shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // The header, magic and length field together are padded to a multiple of 64 bytes and end in a newline.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write([1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        stream.Write(Encoding.ASCII.GetBytes(padded));
        using var cpu = tensor.detach().cpu().contiguous();
        stream.Write(cpu.bytes);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
