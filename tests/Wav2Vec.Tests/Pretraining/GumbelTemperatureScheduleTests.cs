using FsCheck;
using FsCheck.Xunit;
using Wav2Vec.Pretraining;

namespace Wav2Vec.Tests.Pretraining;

public class GumbelTemperatureScheduleTests
{
    [Theory]
    [InlineData(0, 2.0)]
    [InlineData(100_000, 1.2130613)]      // 2·0.999995^100000 ≈ 2·e^−0.5
    [InlineData(277_258, 0.5)]            // 2·0.999995^277258 ≈ 0.5: the floor is reached here
    [InlineData(400_000, 0.5)]
    public void DefaultScheduleAnnealsFromTwoToAHalf(long step, double expected) =>
        Assert.Equal(expected, GumbelTemperatureSchedule.Default.At(step), 4);

    [Property]
    public bool TemperatureNeverRisesAndNeverFallsBelowTheFloor(NonNegativeInt step, PositiveInt stride)
    {
        var schedule = GumbelTemperatureSchedule.Default;
        var now = schedule.At(step.Get * 10L);
        var later = schedule.At(step.Get * 10L + stride.Get);
        return later <= now && later >= schedule.Min && now <= schedule.Start;
    }

    [Fact]
    public void NegativeStepIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GumbelTemperatureSchedule.Default.At(-1));
}
