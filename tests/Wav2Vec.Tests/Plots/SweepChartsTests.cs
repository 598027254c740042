using Plotly.NET;
using Wav2Vec.Plots;

namespace Wav2Vec.Tests.Plots;

public class SweepChartsTests
{
    [Fact]
    public void SweepChartHasOneLinePerSeriesWithPointsInIncreasingX()
    {
        var chart = SweepCharts.Lines(
            [new("M = 5", 0.65, 3.0), new("M = 10", 0.2, 2.0), new("M = 5", 0.2, 4.0)], "masking.prob", "contrastive");
        Assert.Equal(2, GenericChart.getTraces(chart).Length);
        var json = GenericChart.toJson(chart).Replace(" ", "");
        Assert.Contains("\"x\":[0.2,0.65],\"y\":[4.0,3.0]", json);
        Assert.Contains("contrastivevsmasking.prob", json);
    }
}
