using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Sinks;

/// <summary>Fake step reports for sink and plot tests.</summary>
static class Reports
{
    public static StepReport At(long step, params (string Name, double Value)[] metrics) =>
        StepReport.Create("tiny", Phase.Pretrain, step, 0, TimeSpan.FromSeconds(step), 5e-4,
            metrics.Select(m => KeyValuePair.Create(m.Name, m.Value)), totalSteps: 100);

    public static IReadOnlyList<StepReport> Curve(string run, int steps) =>
        Enumerable.Range(1, steps).Select(s => At(s, ("loss", 5.0 / s), ("perplexity", 10.0 + s)) with { Run = run }).ToList();

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wav2vec-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
