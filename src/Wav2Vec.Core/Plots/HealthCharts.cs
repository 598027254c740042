using Plotly.NET;
using Plotly.NET.CSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Pretraining;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Wav2Vec.Plots;

/// <summary>
/// The health panel of pre-training: what tells a stuck run from a learning one, each against its reference level
/// (<see cref="HealthLevels"/>): dev accuracy vs chance, probability perplexity vs ½·G·V, code agreement vs 1/V, and
/// gradient norms per part. Metrics come from step reports (<see cref="DiagnosticNames"/>, <see cref="MetricNames"/>);
/// a report without a metric is skipped and non-finite values are left out, so any mix of reports can be passed.
/// </summary>
public static class HealthCharts
{
    const string ReferenceColour = "#7f7f7f";

    /// <summary>A horizontal reference line: its legend text and level.</summary>
    public sealed record Level(string Name, double Value);

    /// <summary>
    /// Dev accuracy (eval mode, fixed batch) per run against its chance level and the go line 5× chance. The chance level
    /// is the newest reported <c>dev_chance_accuracy</c> (BEST-RQ's: the frequency of the commonest dev code), otherwise
    /// the contrastive task's 1/(K + 1) of <paramref name="levels"/>.
    /// </summary>
    public static GenericChart DevAccuracy(IEnumerable<StepReport> reports, HealthLevels levels, bool showLegend = true)
    {
        var all = reports.ToList();
        var reported = all.OrderBy(r => r.Step).Select(r => r.Metric(DiagnosticNames.DevChanceAccuracy))
            .LastOrDefault(v => v is { } x && double.IsFinite(x));
        var (name, chance) = reported is { } c ? ("chance", c) : ("chance 1/(K+1)", levels.ChanceAccuracy);
        return Panel(all, [(DiagnosticNames.DevAccuracy, "dev")], "dev accuracy",
            [new(name, chance), new("go: 5× chance", HealthLevels.GoAccuracyOverChance * chance)], logY: false, showLegend);
    }

    /// <summary>Probability perplexity (training batches and, when reported, the dev batch) against ½·G·V and G·V.</summary>
    public static GenericChart Perplexity(IEnumerable<StepReport> reports, HealthLevels levels, bool showLegend = true) =>
        Panel(reports, [(MetricNames.Perplexity, "train"), (DiagnosticNames.DevPerplexity, "dev")], "probability perplexity",
            [new("go: ½·G·V", levels.GoPerplexity), new("uniform: G·V", levels.Groups * levels.Entries)], logY: false, showLegend);

    /// <summary>Code agreement of two Gumbel draws on the training batch against 1/V, the agreement of flat logits.</summary>
    public static GenericChart CodeAgreement(IEnumerable<StepReport> reports, HealthLevels levels, bool showLegend = true) =>
        Panel(reports, [(DiagnosticNames.CodeAgreement, "train")], "code agreement",
            [new("flat logits: 1/V", levels.UniformAgreement)], logY: false, showLegend);

    /// <summary>Gradient L2 norm per part (every <c>grad_norm_PART</c> metric found), logarithmic y axis.</summary>
    public static GenericChart GradientNorms(IEnumerable<StepReport> reports, bool showLegend = true)
    {
        var all = reports.ToList();
        var parts = all.SelectMany(r => r.Metrics.Keys).Where(k => k.StartsWith(DiagnosticNames.GradNormPrefix, StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal)
            .Select(k => (k, k[DiagnosticNames.GradNormPrefix.Length..])).ToList();
        return Panel(all, parts, "gradient norm per part", [], logY: true, showLegend, colourBy: Colour.Metric);
    }

    /// <summary>The four panels in a 2 × 2 grid; run names appear once in the legend.</summary>
    public static GenericChart Grid(IEnumerable<StepReport> reports, HealthLevels levels)
    {
        var all = reports.ToList();
        GenericChart[] panels =
            [DevAccuracy(all, levels), Perplexity(all, levels, false), CodeAgreement(all, levels, false), GradientNorms(all)];
        return CSharpChart.Grid(panels, 2, 2,
                SubPlotTitles: new[] { "dev accuracy", "probability perplexity", "code agreement", "gradient norm per part" })
            .WithTitle("pre-training health")
            .WithSize(1040, 720);
    }

    enum Colour { Run, Metric }

    /// <summary>
    /// Lines of <paramref name="metrics"/> (metric name, label) per run, plus dashed reference lines across the steps
    /// shown. A run-coloured panel of one metric names a line by its run; otherwise by run and label (label alone for one run).
    /// </summary>
    static GenericChart Panel(IEnumerable<StepReport> reports, IReadOnlyList<(string Metric, string Label)> metrics, string title,
        IReadOnlyList<Level> levels, bool logY, bool showLegend, Colour colourBy = Colour.Run)
    {
        var all = reports.ToList();
        var runs = all.Select(r => r.Run).Distinct().ToList();
        var traces = new List<GenericChart>();
        var steps = new List<long>();
        for (var m = 0; m < metrics.Count; m++)
            foreach (var curve in TrainingCurves.Series(all, metrics[m].Metric))
            {
                var points = curve.Steps.Zip(curve.Values).Where(p => double.IsFinite(p.Second) && (!logY || p.Second > 0)).ToList();
                if (points.Count == 0) continue;
                steps.AddRange(points.Select(p => p.First));
                var byLabel = colourBy == Colour.Metric || metrics.Count > 1;
                var name = !byLabel ? curve.Name : runs.Count == 1 ? metrics[m].Label : $"{curve.Name} {metrics[m].Label}";
                var colour = colourBy == Colour.Metric ? m : Math.Max(0, runs.FindIndex(r => curve.Name == r || curve.Name.StartsWith(r + " ", StringComparison.Ordinal)));
                traces.Add(CSharpChart.Line<long, double, string>(points.Select(p => p.First), points.Select(p => p.Second), Name: name,
                    ShowLegend: showLegend || colourBy == Colour.Metric,
                    LineColor: Color.fromString(TrainingCurves.Palette[colour % TrainingCurves.Palette.Count]),
                    LineDash: colourBy == Colour.Run && m > 0 ? StyleParam.DrawingStyle.Dot : StyleParam.DrawingStyle.Solid));
            }
        if (steps.Count > 0)
            for (var i = 0; i < levels.Count; i++)
                traces.Add(CSharpChart.Line<long, double, string>([steps.Min(), steps.Max()], [levels[i].Value, levels[i].Value],
                    Name: levels[i].Name, ShowLegend: true, LineColor: Color.fromString(ReferenceColour),
                    LineDash: i == 0 ? StyleParam.DrawingStyle.Dash : StyleParam.DrawingStyle.DashDot));
        return TrainingCurves.StepChart(traces, title, logY);
    }
}
