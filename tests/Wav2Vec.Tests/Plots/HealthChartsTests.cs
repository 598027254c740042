using Plotly.NET;
using Wav2Vec.Experiments;
using Wav2Vec.Plots;
using Wav2Vec.Pretraining;
using Wav2Vec.Tests.Sinks;

namespace Wav2Vec.Tests.Plots;

public class HealthChartsTests
{
    /// <summary>K = 4 (chance 0.2, go 1.0), G·V = 2·8 (go perplexity 8, flat logits agree 1/8).</summary>
    static readonly HealthLevels Levels = new(NumNegatives: 4, Groups: 2, Entries: 8);

    static string Json(GenericChart chart) => GenericChart.toJson(chart).Replace(" ", "");

    static StepReport At(string run, long step, params (string, double)[] metrics) => Reports.At(step, metrics) with { Run = run };

    [Fact]
    public void DevAccuracyHasALinePerRunAndDashedChanceAndGoLinesAcrossItsSteps()
    {
        var reports = new[]
        {
            At("a", 10, (DiagnosticNames.DevAccuracy, 0.25)), At("a", 1, ("loss", 3.9)), At("a", 20, (DiagnosticNames.DevAccuracy, 0.5)),
            At("b", 30, (DiagnosticNames.DevAccuracy, 0.3)),
        };
        var chart = HealthCharts.DevAccuracy(reports, Levels);
        Assert.Equal(4, GenericChart.getTraces(chart).Length);
        var json = Json(chart);
        Assert.Contains("\"x\":[10,20],\"y\":[0.25,0.5]", json);
        Assert.Contains("\"x\":[10,30],\"y\":[0.2,0.2]", json);
        Assert.Contains("\"x\":[10,30],\"y\":[1.0,1.0]", json);
        Assert.Contains("\"dash\":\"dash\"", json);
    }

    /// <summary>A BEST-RQ run reports its own chance level (the commonest code's frequency), which replaces 1/(K + 1).</summary>
    [Fact]
    public void DevAccuracyDrawsTheReportedChanceLevelWhenTheRunLogsOne()
    {
        var reports = new[]
        {
            At("a", 10, (DiagnosticNames.DevAccuracy, 0.25), (DiagnosticNames.DevChanceAccuracy, 0.1)),
            At("a", 20, (DiagnosticNames.DevAccuracy, 0.5), (DiagnosticNames.DevChanceAccuracy, 0.125)),
        };
        var json = Json(HealthCharts.DevAccuracy(reports, Levels));
        Assert.Contains("\"x\":[10,20],\"y\":[0.125,0.125]", json);
        Assert.Contains("\"x\":[10,20],\"y\":[0.625,0.625]", json);
        Assert.DoesNotContain("1/(K+1)", json);
    }

    [Fact]
    public void PerplexityShowsTrainingAndDevAgainstHalfAndAllOfTheCodebook()
    {
        var reports = new[]
        {
            At("a", 1, (MetricNames.Perplexity, 15.0)), At("a", 2, (MetricNames.Perplexity, 12.0), (DiagnosticNames.DevPerplexity, 11.0)),
        };
        var json = Json(HealthCharts.Perplexity(reports, Levels));
        Assert.Contains("\"x\":[1,2],\"y\":[15.0,12.0]", json);
        Assert.Contains("\"name\":\"train\"", json);
        Assert.Contains("\"name\":\"dev\"", json);
        Assert.Contains("\"x\":[1,2],\"y\":[8.0,8.0]", json);
        Assert.Contains("\"x\":[1,2],\"y\":[16.0,16.0]", json);
        var two = Json(HealthCharts.Perplexity(reports.Append(At("b", 3, (MetricNames.Perplexity, 9.0))), Levels));
        Assert.Contains("\"name\":\"atrain\"", two);
        Assert.Contains("\"name\":\"btrain\"", two);
    }

    [Fact]
    public void NonFiniteValuesAreLeftOut()
    {
        var reports = new[] { At("a", 1, (DiagnosticNames.CodeAgreement, double.NaN)), At("a", 2, (DiagnosticNames.CodeAgreement, 0.5)) };
        var json = Json(HealthCharts.CodeAgreement(reports, Levels));
        Assert.Contains("\"x\":[2],\"y\":[0.5]", json);
        Assert.Contains("\"y\":[0.125,0.125]", json);
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void GradientNormsHaveALinePerPartOnALogAxis()
    {
        var reports = Enumerable.Range(1, 3).Select(s => At("a", s,
            (MetricNames.GradNorm, 1.0), (DiagnosticNames.GradNormPrefix + GradientNorms.Quantizer, 0.1 * s),
            (DiagnosticNames.GradNormPrefix + GradientNorms.Transformer, 0.0))).ToList();
        var chart = HealthCharts.GradientNorms(reports);
        Assert.Single(GenericChart.getTraces(chart));
        var json = Json(chart);
        Assert.Contains("\"name\":\"quantizer\"", json);
        Assert.Contains("\"type\":\"log\"", json);
    }

    [Fact]
    public void GridHasFourPanelsAndNamesEachRunOnceInTheLegend()
    {
        var reports = Enumerable.Range(1, 4).Select(s => At("run-a", s,
            (DiagnosticNames.DevAccuracy, 0.1 * s), (MetricNames.Perplexity, 16.0 - s), (DiagnosticNames.CodeAgreement, 0.2 * s),
            (DiagnosticNames.GradNormPrefix + GradientNorms.FeatureEncoder, 0.5))).ToList();
        var grid = HealthCharts.Grid(reports, Levels);
        var traces = GenericChart.getTraces(grid);
        Assert.Equal(1 + 2 + 1 + 2 + 1 + 1 + 1, traces.Length);
        var json = Json(grid);
        Assert.Contains("\"xaxis4\"", json);
        Assert.Equal(1, json.Split("\"name\":\"run-a\",\"showlegend\":true").Length - 1 + json.Split("\"showlegend\":true,\"name\":\"run-a\"").Length - 1);
        Assert.Contains("\"name\":\"feature_encoder\"", json);
    }

    [Fact]
    public void ReportsWithoutHealthMetricsGiveEmptyPanels()
    {
        var chart = HealthCharts.Grid(Enumerable.Range(1, 3).Select(s => Reports.At(s, ("loss", 1.0 / s))), Levels);
        Assert.Equal(4, GenericChart.getTraces(chart).Length);
    }
}
