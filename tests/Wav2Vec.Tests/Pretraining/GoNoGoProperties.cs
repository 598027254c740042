using FsCheck;
using FsCheck.Xunit;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>The go/no-go rule of a pre-training run (<see cref="HealthLevels.Learns(double, double, double, int, int)"/>): dev accuracy ≥ 5× chance and perplexity &lt; ½·G·V.</summary>
public class GoNoGoProperties
{
    /// <summary>A run's numbers in their ranges: accuracy in [0, 1), chance 1/(K+1), G ≤ 4 codebooks of V ≤ 512 entries, perplexity in [G, G·V].</summary>
    static (double Accuracy, double Chance, double Perplexity, int Groups, int Entries) Case(double accuracy, int negatives, double perplexity,
        int groups, int entries)
    {
        var (g, v) = (Mod(groups, 4) + 1, Mod(entries, 512) + 1);
        return (Math.Abs(accuracy) % 1, 1.0 / (Mod(negatives, 200) + 2), g + Math.Abs(perplexity) % (g * v - g + 1), g, v);
    }

    static int Mod(int x, int m) => (x % m + m) % m;

    [Property]
    public bool MoreDevAccuracyOrLessPerplexityNeverTurnsAGoIntoANoGo(NormalFloat accuracy, int negatives, NormalFloat perplexity,
        int groups, int entries, NormalFloat better)
    {
        var c = Case(accuracy.Get, negatives, perplexity.Get, groups, entries);
        var step = Math.Abs(better.Get) % 1;
        return !HealthLevels.Learns(c.Accuracy, c.Chance, c.Perplexity, c.Groups, c.Entries)
               || (HealthLevels.Learns(c.Accuracy + step, c.Chance, c.Perplexity, c.Groups, c.Entries)
                   && HealthLevels.Learns(c.Accuracy, c.Chance, Math.Max(c.Groups, c.Perplexity - step * c.Groups * c.Entries), c.Groups, c.Entries));
    }

    [Property]
    public bool AQuantizerSpreadOverHalfItsCodesOrMoreIsANoGoWhateverTheAccuracy(int negatives, int groups, int entries, NormalFloat share)
    {
        var c = Case(0, negatives, 0, groups, entries);
        var perplexity = (0.5 + Math.Abs(share.Get) % 0.5) * c.Groups * c.Entries;
        return !HealthLevels.Learns(1.0, c.Chance, perplexity, c.Groups, c.Entries);
    }

    [Property]
    public bool FiveTimesChanceIsTheLineForARunWithFewCodesInUse(int negatives, int groups, int entries)
    {
        var c = Case(0, negatives, 0, groups, entries);
        // A collapsed quantizer (perplexity G) is below ½·G·V only when V > 2.
        return c.Entries <= 2
               || (HealthLevels.Learns(5 * c.Chance, c.Chance, c.Groups, c.Groups, c.Entries)
                   && !HealthLevels.Learns(5 * c.Chance * 0.999, c.Chance, c.Groups, c.Groups, c.Entries));
    }

    [Fact]
    public void HealthLevelsDrawTheLinesOfTheRule()
    {
        var levels = new HealthLevels(NumNegatives: 100, Groups: 2, Entries: 320);
        Assert.True(HealthLevels.Learns(levels.GoAccuracy, levels.ChanceAccuracy, levels.GoPerplexity - 1, 2, 320));
        Assert.False(HealthLevels.Learns(levels.GoAccuracy, levels.ChanceAccuracy, levels.GoPerplexity, 2, 320));
        Assert.False(HealthLevels.Learns(levels.GoAccuracy * 0.99, levels.ChanceAccuracy, 2, 2, 320));
    }
}
