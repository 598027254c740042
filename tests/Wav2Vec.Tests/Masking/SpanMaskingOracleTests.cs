using Wav2Vec.Masking;

namespace Wav2Vec.Tests.Masking;

/// <summary>
/// The span masks checked against what fairseq's <c>compute_mask_indices</c> means, by simulation rather than by its
/// formula: over thousands of seeds, the number of spans averages p·L/M (random rounding is unbiased), and each frame
/// is masked as often as n distinct span starts drawn uniformly from the L − M + 1 positions mask it, a probability
/// counted here by brute force over the starts that cover the frame.
/// </summary>
public class SpanMaskingOracleTests
{
    const int Trials = 4000;

    [Theory]
    [InlineData(137, 0.65, 10)]
    [InlineData(50, 0.3, 4)]
    [InlineData(1000, 0.05, 10)]
    [InlineData(23, 0.5, 1)]
    public void TheNumberOfSpansAveragesTheExpectedNumberOfStarts(int length, double prob, int spanLength)
    {
        var expected = prob * length / spanLength;
        var counts = Enumerable.Range(0, Trials)
            .Select(seed => SpanMasking.SampleSpanStarts([length], new MaskingOptions(prob, spanLength), new Random(seed))[0].Length)
            .ToArray();
        // Each count is expected rounded up or down at random, so its spread is at most one half.
        Assert.InRange(counts.Average(), expected - 5 * 0.5 / Math.Sqrt(Trials), expected + 5 * 0.5 / Math.Sqrt(Trials));
        Assert.True(counts.Max() - counts.Min() <= 1, $"counts range over {counts.Min()}…{counts.Max()}");
    }

    [Theory]
    [InlineData(40, 4, 5)]
    [InlineData(30, 10, 2)]
    [InlineData(25, 1, 12)]
    public void EachFrameIsMaskedAsOftenAsUniformStartsWithoutReplacementMaskIt(int length, int spanLength, int spans)
    {
        // p·L/M = spans exactly, so every draw has that many spans.
        var options = new MaskingOptions((double)spans * spanLength / length, spanLength);
        var starts = length - spanLength + 1;
        var masked = new int[length];
        for (var seed = 0; seed < Trials; seed++)
        {
            var mask = SpanMasking.Compute([length], length, options, seed)[0];
            for (var t = 0; t < length; t++) masked[t] += mask[t] ? 1 : 0;
        }
        for (var t = 0; t < length; t++)
        {
            var covering = Enumerable.Range(0, starts).Count(s => s <= t && t < s + spanLength);
            // P(no chosen start covers t) = C(starts − covering, spans) / C(starts, spans).
            var missed = Enumerable.Range(0, spans).Aggregate(1.0, (p, i) => p * (starts - covering - i) / (starts - i));
            var p = 1 - Math.Max(missed, 0);
            var tolerance = 5 * Math.Sqrt(p * (1 - p) / Trials) + 1e-9;
            Assert.InRange((double)masked[t] / Trials, p - tolerance, p + tolerance);
        }
    }
}
