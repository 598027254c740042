using Plotly.NET;

namespace Wav2Vec.Interactive;

/// <summary>Where a <see cref="LiveChart"/> draws: the first <see cref="Show"/> displays, later ones replace that display.</summary>
public interface IChartView
{
    /// <summary>Displays <paramref name="chart"/>, replacing what this view showed before.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="final">True for the run's last state (the one a saved notebook keeps, so it may carry a static image).</param>
    void Show(GenericChart chart, bool final);
}
