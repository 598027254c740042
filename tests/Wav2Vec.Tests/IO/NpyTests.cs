using TorchSharp;
using Wav2Vec.IO;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.IO;

public sealed class NpyTests : IDisposable
{
    readonly string path = Path.GetTempFileName() + ".npy";

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(ScalarType.Float32, new long[] { 2, 3, 5 })]
    [InlineData(ScalarType.Int64, new long[] { 7 })]
    [InlineData(ScalarType.Float32, new long[] { 1, 0, 4 })]
    public void WrittenArrayReadsBackWithSameDtypeShapeAndBytes(ScalarType dtype, long[] shape)
    {
        TorchRuntime.Seed(1);
        var original = (randn(shape) * 100).to(dtype);
        Npy.Write(path, original);
        var back = Npy.Read(path);
        Assert.Equal(dtype, back.dtype);
        Assert.Equal(shape, back.shape);
        Assert.True(original.bytes.SequenceEqual(back.bytes));
        var headerEnd = Array.IndexOf(File.ReadAllBytes(path), (byte)'\n') + 1;
        Assert.Equal(0, headerEnd % 64);
    }

    [Fact]
    public void ReadsNumpyWrittenFixtureArrays()
    {
        var dir = Tests.Model.Fixture.Dir();
        Assert.Equal([1L, 145, 32], Npy.Read(Path.Combine(dir, "expected", "logits.npy")).shape);
        Assert.Equal(ScalarType.Int64, Npy.Read(Path.Combine(dir, "expected", "codevector_idx.npy")).dtype);
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingIt()
    {
        TorchRuntime.Initialize();
        Npy.Write(path, ones(10, 10));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void UnsupportedDtypeIsRejectedOnWrite()
    {
        TorchRuntime.Initialize();
        var e = Assert.Throws<ArgumentException>(() => Npy.Write(path, ones(3, dtype: ScalarType.Float16)));
        Assert.Contains("Float16", e.Message);
    }
}
