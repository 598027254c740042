using FsCheck;
using FsCheck.Xunit;
using Wav2Vec.Masking;

namespace Wav2Vec.Tests.Masking;

[Properties(Arbitrary = new[] { typeof(MaskingArbitraries) }, MaxTest = 300)]
public class SpanMaskingProperties
{
    static int[][] Spans(MaskingCase c) => SpanMasking.SampleSpanStarts(c.Lengths, c.Options, new Random(c.Seed));

    [Property]
    public bool SpansStartDistinctAndStayInsideTheValidFrames(MaskingCase c) =>
        Spans(c).Select((starts, b) =>
            starts.Distinct().Count() == starts.Length &&
            starts.All(s => s >= 0 && s + c.Options.Length <= c.Lengths[b])).All(ok => ok);

    [Property]
    public bool NoPaddedFrameIsMasked(MaskingCase c)
    {
        var mask = SpanMasking.Compute(c.Lengths, c.Frames, c.Options, c.Seed);
        return mask.Length == c.Lengths.Length &&
               mask.Select((row, b) => row.Length == c.Frames && row.Skip(c.Lengths[b]).All(m => !m)).All(ok => ok);
    }

    [Property]
    public bool MaskIsTheUnionOfTheSpans(MaskingCase c)
    {
        var options = c.Options with { RequireSameMasks = false };
        var mask = SpanMasking.Compute(c.Lengths, c.Frames, options, c.Seed);
        var spans = SpanMasking.SampleSpanStarts(c.Lengths, options, new Random(c.Seed));
        return mask.Select((row, b) => Enumerable.Range(0, c.Frames).All(t =>
            row[t] == spans[b].Any(s => t >= s && t < s + options.Length))).All(ok => ok);
    }

    [Property]
    public bool MinMasksIsHonouredWhereSpansFit(MaskingCase c)
    {
        var spans = Spans(c);
        return c.Options.Prob == 0 || c.Lengths.Select((length, b) =>
            spans[b].Length >= Math.Min(c.Options.MinMasks, Math.Max(length - c.Options.Length + 1, 0))).All(ok => ok);
    }

    [Property]
    public bool SameSeedGivesTheSameMask(MaskingCase c) =>
        SpanMasking.Compute(c.Lengths, c.Frames, c.Options, c.Seed)
            .Zip(SpanMasking.Compute(c.Lengths, c.Frames, c.Options, c.Seed), (a, b) => a.SequenceEqual(b)).All(ok => ok);

    [Property]
    public bool RequireSameMasksGivesEqualCountsWithinTheUntrimmedMasks(MaskingCase c)
    {
        var trimmed = SpanMasking.Compute(c.Lengths, c.Frames, c.Options with { RequireSameMasks = true }, c.Seed);
        var full = SpanMasking.Compute(c.Lengths, c.Frames, c.Options with { RequireSameMasks = false }, c.Seed);
        var counts = SpanMasking.MaskedCounts(trimmed);
        return counts.Distinct().Count() == 1 &&
               counts[0] == SpanMasking.MaskedCounts(full).Min() &&
               trimmed.Zip(full).All(p => p.First.Zip(p.Second).All(m => !m.First || m.Second));
    }

    [Property]
    public bool ZeroProbabilityMasksNothing(MaskingCase c) =>
        SpanMasking.Compute(c.Lengths, c.Frames, c.Options with { Prob = 0 }, c.Seed).All(row => row.All(m => !m));

    [Property]
    public bool ChannelMaskCoversEveryUtteranceWithSpansOfTheChannelAxis(MaskingCase c)
    {
        var channels = Math.Max(c.Frames, 1);
        var mask = SpanMasking.ComputeChannels(c.Lengths.Length, channels, c.Options, c.Seed);
        var expected = SpanMasking.Compute(Enumerable.Repeat(channels, c.Lengths.Length).ToArray(), channels, c.Options, c.Seed);
        return mask.Length == c.Lengths.Length && mask.Zip(expected).All(p => p.First.SequenceEqual(p.Second));
    }
}
