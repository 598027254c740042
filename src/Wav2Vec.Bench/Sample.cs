using System.Diagnostics;

namespace Wav2Vec.Bench;

/// <summary>Repeated wall-clock timings of one measured operation, in milliseconds.</summary>
/// <param name="Median">Median of the timed runs (warm-up runs excluded).</param>
/// <param name="Min">Fastest run.</param>
/// <param name="Max">Slowest run.</param>
/// <param name="Runs">Timed runs.</param>
public sealed record Sample(double Median, double Min, double Max, int Runs)
{
    /// <summary>The statistics of <paramref name="milliseconds"/> (at least one value).</summary>
    public static Sample Of(IReadOnlyList<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Sample(median, sorted[0], sorted[^1], n);
    }

    /// <summary>(max − min) / median: how much a shared machine disturbed the runs.</summary>
    public double Spread => (Max - Min) / Median;
}

/// <summary>
/// A/B(/C) timing in one process: after warm-up, each round runs every operation once in turn, so a change in machine
/// load during the measurement hits all of them alike and their ratio stays meaningful.
/// </summary>
public static class Alternation
{
    /// <summary>Medians and spreads of <paramref name="operations"/>, <paramref name="warmup"/> untimed then <paramref name="rounds"/> timed rounds.</summary>
    public static Sample[] Measure(int warmup, int rounds, params Action[] operations)
    {
        for (var w = 0; w < warmup; w++)
            foreach (var operation in operations) operation();
        var times = operations.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < Math.Max(rounds, 1); r++)
            for (var i = 0; i < operations.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                operations[i]();
                times[i].Add(clock.Elapsed.TotalMilliseconds);
            }
        return [.. times.Select(Sample.Of)];
    }
}
