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

    [Fact]
    public void BarsShowTheMeanOfEachSeriesPerCategoryLabelledWithTheSpreadOfItsSeeds()
    {
        var chart = SweepCharts.Bars(
            [new("scratch", "es", [0.5, 0.7]), new("pretrained", "es", [0.4]), new("scratch", "fr", [0.9, 0.8, 1.0])], "test CER");
        Assert.Equal(2, GenericChart.getTraces(chart).Length);
        var json = GenericChart.toJson(chart).Replace(" ", "");
        Assert.Contains("\"x\":[\"es\",\"fr\"],\"y\":[60.0,90.0]", json);
        Assert.Contains("60.0±14.1(2)", json);
        Assert.Contains("90.0±10.0(3)", json);
        Assert.Contains("40.0±0.0(1)", json);
    }

    [Fact]
    public void MeanLinesDrawTheMeanOverSeedsWithOneStandardDeviationAsErrorBar()
    {
        var chart = SweepCharts.MeanLines(
            [new("scratch", 60, [0.5, 0.7]), new("scratch", 10, [0.9, 0.8, 1.0]), new("pretrained", 10, [0.4])], "labelled minutes", "test CER", logX: true);
        Assert.Equal(2, GenericChart.getTraces(chart).Length);
        var json = GenericChart.toJson(chart).Replace(" ", "");
        Assert.Contains("\"x\":[10.0,60.0],\"y\":[90.0,60.0]", json);
        Assert.Matches("\"error_y\":\\{\"type\":\"data\",\"array\":\\[(10.0|9.99999[0-9]*),14.1421[0-9]*\\]", json);
        Assert.Contains("60.0±14.1(2)", json);
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Contains("testCER(%)", json);
    }
}
