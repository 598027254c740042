using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class FrameSampleTests
{
    static readonly string?[][] Letters = [["A", "A", null, "B", "C"], ["A", "B", "B", "D"]];

    [Fact]
    public void DrawKeepsTheMostFrequentLabelsAndAtMostTheAskedFrames()
    {
        var sample = FrameSample.Draw(Letters, topLabels: 2, maxFrames: 4, seed: 3);
        Assert.Equal(["A", "B"], sample.KeptLabels);
        Assert.Equal(6, sample.Eligible);
        Assert.Equal(4, sample.Indices.Length);
        Assert.Equal(sample.Indices.Order(), sample.Indices);
        var flat = Letters.SelectMany(l => l).ToList();
        Assert.Equal(sample.Indices.Select(i => flat[(int)i]!), sample.Labels);
        Assert.All(sample.Labels, l => Assert.Contains(l, new[] { "A", "B" }));
        Assert.Equal(sample.Indices, FrameSample.Draw(Letters, 2, 4, seed: 3).Indices);
    }

    [Fact]
    public void GatherPicksTheDrawnRowsAcrossUtterances()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var sample = FrameSample.Draw(Letters, topLabels: 4, maxFrames: 100, seed: 0);
        var first = arange(5, dtype: ScalarType.Float32).unsqueeze(1);
        var second = arange(5, 9, dtype: ScalarType.Float32).unsqueeze(1);
        var rows = sample.Gather([first, second]);
        Assert.Equal(new float[] { 0, 1, 3, 4, 5, 6, 7, 8 }, rows.squeeze(1).data<float>().ToArray());
    }

    [Fact]
    public void GatherFromTooFewFramesIsAnError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var sample = FrameSample.Draw(Letters, topLabels: 4, maxFrames: 100, seed: 0);
        var error = Assert.Throws<ArgumentException>(() => sample.Gather([zeros(5, 2)]));
        Assert.Contains("5 frames in all", error.Message);
    }
}
