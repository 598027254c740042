using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>A random batch mask with a seed and a distractor count.</summary>
public sealed record NegativeCase(bool[][] Mask, int Count, int Seed)
{
    public override string ToString() =>
        $"mask=[{string.Join(" ", Mask.Select(r => new string(r.Select(m => m ? '1' : '0').ToArray())))}] K={Count} seed={Seed}";
}

public static class NegativeArbitraries
{
    public static Arbitrary<NegativeCase> NegativeCase() =>
        (from frames in Gen.Choose(1, 60)
         from batch in Gen.Choose(1, 4)
         from density in Gen.Choose(0, 100)
         from rows in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 99).Select(x => x < density), frames), batch)
         from count in Gen.Choose(1, 12)
         from seed in Gen.Choose(int.MinValue, int.MaxValue)
         select new NegativeCase(rows, count, seed)).ToArbitrary();
}

[Properties(Arbitrary = new[] { typeof(NegativeArbitraries) }, MaxTest = 300)]
public class NegativeSamplingProperties
{
    [Property]
    public bool DistractorsAreOtherMaskedFramesOfTheSameUtterance(NegativeCase c)
    {
        var negatives = NegativeSampling.Sample(c.Mask, c.Count, c.Seed);
        return c.Mask.Select((row, b) =>
        {
            var maskedCount = row.Count(m => m);
            return Enumerable.Range(0, row.Length).All(t =>
                negatives[b][t].Length == c.Count &&
                (!row[t] || maskedCount < 2
                    ? negatives[b][t].All(n => n == t)
                    : negatives[b][t].All(n => n != t && n >= 0 && n < row.Length && row[n])));
        }).All(ok => ok);
    }

    [Property]
    public bool SameSeedGivesTheSameDistractors(NegativeCase c) =>
        NegativeSampling.Sample(c.Mask, c.Count, c.Seed).SelectMany(r => r).SelectMany(r => r)
            .SequenceEqual(NegativeSampling.Sample(c.Mask, c.Count, c.Seed).SelectMany(r => r).SelectMany(r => r));

    [Property(MaxTest = 50)]
    public bool TensorHoldsBatchFlattenedIndices(NegativeCase c)
    {
        TorchRuntime.Initialize();
        var negatives = NegativeSampling.Sample(c.Mask, c.Count, c.Seed);
        using var tensor = NegativeSampling.ToTensor(negatives);
        var frames = c.Mask[0].Length;
        var data = tensor.data<long>().ToArray();
        return tensor.shape.SequenceEqual(new long[] { c.Mask.Length, frames, c.Count }) &&
               data.SequenceEqual(negatives.SelectMany((rows, b) => rows.SelectMany(r => r.Select(n => (long)b * frames + n))));
    }
}

public class NegativeSamplingTests
{
    [Fact]
    public void DistractorsAreDrawnUniformlyFromTheOtherMaskedFrames()
    {
        bool[][] mask = [[true, false, true, true, false, true]];
        var draws = NegativeSampling.Sample(mask, 6000, seed: 5)[0][2];
        var histogram = draws.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new[] { 0, 3, 5 }, histogram.Keys.Order());
        Assert.All(histogram.Values, n => Assert.InRange(n, 1800, 2200));
    }

    [Fact]
    public void ZeroDistractorsIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => NegativeSampling.Sample([[true, true]], 0, 0));
        Assert.Contains("negatives", error.Message);
    }
}
