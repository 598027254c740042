using TorchSharp;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Tests.Model;
using Wav2Vec.Tools.Diagnostics;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Tools;

public sealed class FeatureDumpTests : IDisposable
{
    readonly string output = Path.GetTempFileName() + ".npy";

    public void Dispose() => File.Delete(output);

    [Theory]
    [InlineData("logits", null, "logits.npy")]
    [InlineData("extract", null, "extract_features.npy")]
    [InlineData("hidden", null, "last_hidden_state.npy")]
    [InlineData("hidden", 0, "encoder_input.npy")]
    [InlineData("hidden", 1, "hidden_states_layer0.npy")]
    [InlineData("quantized", null, "quantized.npy")]
    public void WritesTheRequestedOutputAsFloat32Npy(string kind, int? layer, string reference)
    {
        var dir = Fixture.Dir();
        var shape = FeatureDump.Write(dir, Path.Combine(dir, "input.wav"), FeatureDump.ParseKind(kind), layer, output);
        var written = Npy.Read(output);
        Assert.Equal(ScalarType.Float32, written.dtype);
        Assert.Equal(shape, written.shape);
        Fixture.AssertClose(Fixture.Expected(dir, reference), written, 1e-4, kind);
    }

    [Fact]
    public void LayerOutOfRangeNamesTheValidRange()
    {
        var dir = Fixture.Dir();
        var e = Assert.Throws<ArgumentException>(() => FeatureDump.Write(dir, Path.Combine(dir, "input.wav"), FeatureKind.Hidden, 3, output));
        Assert.Contains("0…2", e.Message);
    }

    [Fact]
    public void UnknownOutputKindIsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureDump.ParseKind("mfcc"));
        Assert.Contains("'mfcc'", e.Message);
    }

    [Fact]
    public void NonPcm16WaveIsRejectedNamingTheFileAndFormat()
    {
        var wav = Path.GetTempFileName() + ".wav";
        try
        {
            using (var writer = new NAudio.Wave.WaveFileWriter(wav, new NAudio.Wave.WaveFormat(8000, 16, 2))) writer.Write(new byte[400], 0, 400);
            var e = Assert.Throws<InvalidDataException>(() => Pcm16Wave.Read(wav));
            Assert.Contains(wav, e.Message);
            Assert.Contains("8000 Hz, 2 channel(s)", e.Message);
        }
        finally
        {
            File.Delete(wav);
        }
    }
}
