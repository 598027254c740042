using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class LogMelTests
{
    public LogMelTests() => TorchRuntime.Initialize();

    /// <summary>The micro pre-training model of the run tests: BASE's conv strides (20 ms frames), 32 wide.</summary>
    internal static readonly Wav2Vec2Config Config = Wav2Vec2Presets.Tiny() with
    {
        ConvDim = [32, 32, 32, 32, 32, 32, 32], HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2,
        IntermediateSize = 64, NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
    };

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static Tensor Sine(double hz, int samples = 8000) =>
        tensor(Enumerable.Range(0, samples).Select(t => (float)(0.5 * Math.Sin(2 * Math.PI * hz * t / LogMel.SampleRate))).ToArray(), [1, samples]);

    /// <summary>The bin whose filter weighs <paramref name="hz"/> most: the one whose centre is nearest in mel.</summary>
    static int NearestBin(double hz) =>
        Enumerable.Range(0, LogMel.Bins).MinBy(b => Math.Abs(LogMel.HzToMel(LogMel.CentreHz(b)) - LogMel.HzToMel(hz)));

    [Theory]
    [InlineData(250.0)]
    [InlineData(440.0)]
    [InlineData(1000.0)]
    [InlineData(2500.0)]
    [InlineData(5000.0)]
    [InlineData(7000.0)]
    public void APureSinePeaksInTheMelBinContainingItsFrequency(double hz)
    {
        using var sine = Sine(hz);
        using var logMel = LogMel.Compute(sine);
        Assert.Equal([1L, LogMel.Frames(8000), LogMel.Bins], logMel.shape);
        using var mean = logMel.mean([1L]).squeeze(0);
        Assert.Equal(NearestBin(hz), mean.argmax().item<long>());
    }

    [Fact]
    public void EveryFilterIsATriangleOnTheHtkMelScaleThatTouchesAnFftBin()
    {
        Assert.Equal(1000.0, LogMel.HzToMel(1000), 0);
        Assert.Equal(440.0, LogMel.MelToHz(LogMel.HzToMel(440)), 9);
        using var bank = LogMel.Filterbank();
        Assert.Equal([257L, 80], bank.shape);
        using var peaks = bank.max(0).values;
        Assert.True(peaks.min().item<float>() > 0.2f, "a filter lies between two FFT bins and stays empty");
        Assert.True(peaks.max().item<float>() <= 1f);
        Assert.Equal(0f, bank[0].abs().sum().item<float>());
    }

    [Fact]
    public void SilenceIsTheLogFloorAndLouderAudioShiftsEveryBinByTheSameAmount()
    {
        using var silence = LogMel.Compute(zeros(1, 1600));
        Assert.True(silence.sub(Math.Log(LogMel.Floor)).abs().max().item<float>() < 1e-4f);
        using var scope = NewDisposeScope();
        var shift = LogMel.Compute(Sine(1000).mul(4)).sub(LogMel.Compute(Sine(1000)));
        Assert.True(shift[0, 0, NearestBin(1000)].sub(Math.Log(16)).abs().item<float>() < 1e-3f);
    }

    [Property(MaxTest = 60)]
    public bool StackedLogMelHasOneVectorPerModelFrameAndCopiesAtMostOne10MsFrame(PositiveInt extra)
    {
        var samples = 400 + extra.Get % 40000;
        var frames = FrameLengths.Compute(samples, Config);
        var tenMs = LogMel.Frames(samples);
        using var scope = NewDisposeScope();
        var stacked = LogMel.Stacked(randn(1, samples), null, frames, LogMel.Stack(Config));
        return LogMel.Stack(Config) == 2 && (tenMs == 2 * frames || tenMs == 2 * frames - 1)
            && stacked.shape.SequenceEqual([1L, frames, 2 * LogMel.Bins]);
    }

    [Fact]
    public void ModelFrameTGetsThe10MsFrames2TAnd2TPlus1NormalisedOverTheUtterance()
    {
        const int samples = 16000 + 80;
        using var audio = randn(1, samples);
        var frames = FrameLengths.Compute(samples, Config);
        using var logMel = LogMel.Compute(audio);
        using var normalised = RandomProjectionQuantizer.Normalize(logMel, null);
        using var stacked = LogMel.Stacked(audio, null, frames, 2);
        Assert.Equal(2 * frames - 1, logMel.shape[1]);
        for (var t = 0; t < frames - 1; t++)
        {
            Assert.True(Same(stacked[0, t, TensorIndex.Slice(0, 80)], normalised[0, 2 * t]));
            Assert.True(Same(stacked[0, t, TensorIndex.Slice(80, 160)], normalised[0, 2 * t + 1]));
        }
        // The last model frame lacks its second 10 ms frame: it repeats the first.
        Assert.True(Same(stacked[0, frames - 1, TensorIndex.Slice(80, 160)], normalised[0, 2 * frames - 2]));
        using var perBin = normalised.mean([1L]);
        Assert.True(perBin.abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void APaddedRowHasTheTargetsFeaturesOfTheRowAlone()
    {
        const int shortSamples = 9100, longSamples = 16000;
        using var generator = new Generator(7, CPU);
        using var shortRow = randn([1, shortSamples], generator: generator);
        using var longRow = randn([1, longSamples], generator: generator);
        using var batch = cat([nn.functional.pad(shortRow, [0, longSamples - shortSamples]), longRow], 0);
        var (shortFrames, longFrames) = (FrameLengths.Compute(shortSamples, Config), FrameLengths.Compute(longSamples, Config));
        Assert.Equal(2 * shortFrames - 1, LogMel.Frames(shortSamples));
        using var together = LogMel.Stacked(batch, [shortSamples, longSamples], longFrames, 2);
        using var alone = LogMel.Stacked(shortRow, null, shortFrames, 2);
        using var longAlone = LogMel.Stacked(longRow, null, longFrames, 2);
        Assert.True(together[0, TensorIndex.Slice(0, shortFrames)].allclose(alone[0], rtol: 0, atol: 1e-5));
        Assert.True(together[1].allclose(longAlone[0], rtol: 0, atol: 1e-5));
    }
}
