using Wav2Vec.Masking;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Masking;

public class SpanMaskingTests
{
    [Theory]
    [InlineData(100, 0.65, 0.0, 10, 0, 6)]   // ⌊6.5 + 0⌋
    [InlineData(100, 0.65, 0.99, 10, 0, 7)]  // ⌊6.5 + 0.99⌋
    [InlineData(20, 0.65, 0.0, 10, 5, 5)]    // min_masks beats ⌊1.3⌋; 5 ≤ 11 start positions
    [InlineData(12, 0.65, 0.0, 10, 5, 3)]    // only 3 start positions fit in 12 frames
    [InlineData(9, 0.65, 0.5, 10, 2, 0)]     // shorter than one span
    [InlineData(100, 0.0, 0.99, 10, 3, 0)]   // p = 0 masks nothing, min_masks notwithstanding
    public void SpanCountIsFloorOfExpectedSpansPlusUniformClampedByMinMasksAndCapacity(
        int length, double prob, double u, int spanLength, int minMasks, int expected) =>
        Assert.Equal(expected, SpanMasking.SpanCount(length, new MaskingOptions(prob, spanLength, minMasks), u));

    [Fact]
    public void PaperSettingMasksAboutHalfOfLongUtterances()
    {
        var lengths = Enumerable.Repeat(5000, 8).ToArray();
        var fractions = Enumerable.Range(0, 5).Select(seed =>
            SpanMasking.MaskedCounts(SpanMasking.Compute(lengths, 5000, new MaskingOptions(0.65, 10), seed)).Sum() / 40000.0).ToArray();
        // Spans of 10 starting at 6.5% of positions, overlapping: 1 − (1 − 0.065)^10 ≈ 0.489 (paper §4.2: "about 49%").
        var expected = 1 - Math.Pow(1 - 0.065, 10);
        Assert.All(fractions, f => Assert.InRange(f, expected - 0.02, expected + 0.02));
        Assert.InRange(fractions.Average(), 0.47, 0.51);
    }

    [Fact]
    public void MeanSpanCountMatchesProbabilisticRounding()
    {
        // p·L/M = 0.65·137/10 = 8.905: 9 spans with probability 0.905, 8 otherwise, so the mean is 8.905.
        var options = new MaskingOptions(0.65, 10);
        var counts = Enumerable.Range(0, 4000).Select(seed =>
            SpanMasking.SampleSpanStarts([137], options, new Random(seed))[0].Length).ToArray();
        Assert.All(counts, n => Assert.InRange(n, 8, 9));
        Assert.InRange(counts.Average(), 8.905 - 0.03, 8.905 + 0.03);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentMasks()
    {
        var a = SpanMasking.Compute([200, 150], 200, MaskingOptions.PretrainingDefault, 1);
        var b = SpanMasking.Compute([200, 150], 200, MaskingOptions.PretrainingDefault, 2);
        Assert.False(a[0].SequenceEqual(b[0]) && a[1].SequenceEqual(b[1]));
    }

    [Theory]
    [InlineData(-0.1, 10, 0, "Prob")]
    [InlineData(1.5, 10, 0, "Prob")]
    [InlineData(double.NaN, 10, 0, "Prob")]
    [InlineData(0.5, 0, 0, "Length")]
    [InlineData(0.5, 10, -1, "MinMasks")]
    public void InvalidOptionsAreRejectedNamingTheField(double prob, int length, int minMasks, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskingOptions(prob, length, minMasks).Validate());
        Assert.Contains($"MaskingOptions.{field}", error.Message);
        Assert.Throws<ArgumentException>(() => SpanMasking.Compute([50], 50, new MaskingOptions(prob, length, minMasks), 0));
    }

    [Fact]
    public void OptionsComeFromTheHuggingFaceMaskingFields()
    {
        var config = Wav2Vec.Model.Wav2Vec2Presets.Base() with
        {
            MaskTimeProb = 0.3, MaskTimeLength = 7, MaskTimeMinMasks = 1,
            MaskFeatureProb = 0.2, MaskFeatureLength = 64, MaskFeatureMinMasks = 3,
        };
        Assert.Equal(new MaskingOptions(0.3, 7, 1), MaskingOptions.TimeFrom(config));
        Assert.Equal(new MaskingOptions(0.2, 64, 3), MaskingOptions.ChannelsFrom(config));
        Assert.Equal(new Wav2Vec.Pretraining.ObjectiveOptions(100, 0.1, 0.1, 10.0), Wav2Vec.Pretraining.ObjectiveOptions.From(config));
    }

    [Fact]
    public void LengthLongerThanTheBatchNamesTheUtterance()
    {
        var error = Assert.Throws<ArgumentException>(() => SpanMasking.Compute([40, 60], 50, MaskingOptions.PretrainingDefault, 0));
        Assert.Contains("Utterance 1", error.Message);
    }

    [Fact]
    public void ToTensorGivesABoolBatchByFrameTensor()
    {
        TorchRuntime.Initialize();
        var mask = SpanMasking.Compute([30, 20], 30, MaskingOptions.PretrainingDefault, 3);
        using var tensor = SpanMasking.ToTensor(mask);
        Assert.Equal(new long[] { 2, 30 }, tensor.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Bool, tensor.dtype);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 30; t++)
                Assert.Equal(mask[b][t], tensor[b, t].item<bool>());
    }
}
