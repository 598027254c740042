using System.Diagnostics;

namespace Wav2Vec.Bench;

/// <summary>
/// A stopwatch that splits each run of an operation into named parts: every mark closes the stretch since the previous
/// mark (or the start) and adds it to the part named. A part marked twice in a run, such as the optimiser's
/// <c>zero_grad</c> before the forward pass and its step after the backward, gets both stretches.
/// </summary>
sealed class Laps
{
    readonly Dictionary<string, double> run = [];
    readonly List<Dictionary<string, double>> runs = [];
    long last;

    /// <summary>Starts a run.</summary>
    public void Start()
    {
        run.Clear();
        last = Stopwatch.GetTimestamp();
    }

    /// <summary>Adds the time since the previous mark to <paramref name="part"/>.</summary>
    public void Mark(string part)
    {
        var now = Stopwatch.GetTimestamp();
        run[part] = run.GetValueOrDefault(part) + Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
        last = now;
    }

    /// <summary>Ends the run: its parts' times join the record.</summary>
    public void Stop() => runs.Add(new(run));

    /// <summary>
    /// The timings of <paramref name="parts"/> over the last <paramref name="timedRuns"/> runs (those after the
    /// warm-up), in the order given; a part some run did not mark is an error in the instrumented operation.
    /// </summary>
    public IReadOnlyList<(string Part, Sample Ms)> Samples(IEnumerable<string> parts, int timedRuns) =>
        [.. parts.Select(p => (p, Sample.Of([.. runs.TakeLast(timedRuns).Select(r => r.TryGetValue(p, out var ms)
            ? ms
            : throw new InvalidOperationException($"training-step profile: no time marked for part '{p}'"))])))];
}
