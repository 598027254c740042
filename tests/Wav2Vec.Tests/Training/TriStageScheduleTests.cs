using FsCheck.Xunit;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Training;

public class TriStageScheduleTests
{
    readonly TriStageSchedule schedule = new(Peak: 1e-3, TotalSteps: 100, WarmupRatio: 0.1, HoldRatio: 0.4, DecayRatio: 0.5);

    [Fact]
    public void WarmsUpLinearlyFromOnePercentOfThePeak()
    {
        Assert.Equal(1e-5, schedule.At(0), 12);
        Assert.Equal(1e-5 + (1e-3 - 1e-5) * 5 / 10, schedule.At(5), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
    }

    [Fact]
    public void HoldsThePeakThenDecaysExponentiallyToFivePercent()
    {
        Assert.Equal(1e-3, schedule.At(49), 12);
        Assert.Equal(1e-3, schedule.At(50), 12);
        Assert.Equal(1e-3 * Math.Pow(0.05, 0.5), schedule.At(75), 12);
        Assert.Equal(5e-5, schedule.At(100), 12);
        Assert.Equal(5e-5, schedule.At(1000), 12);
    }

    [Fact]
    public void RatiosSummingAboveOneAreAnErrorNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => (schedule with { HoldRatio = 0.8 }).At(0));
        Assert.Contains("0.1/0.8/0.5", error.Message);
    }

    [Property]
    public bool NeverExceedsThePeakAndNeverFallsBelowTheSmallerScale(int step) =>
        schedule.At(Math.Abs(step % 200)) is var lr && lr <= 1e-3 + 1e-15 && lr >= 1e-5 - 1e-15;

    [Property]
    public bool RisesThroughWarmupAndFallsThroughDecay(int step)
    {
        int s = Math.Abs(step % 120);
        return s < 10 ? schedule.At(s + 1) >= schedule.At(s) : schedule.At(s + 1) <= schedule.At(s);
    }
}
