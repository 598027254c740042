using Plotly.NET;

namespace Wav2Vec.Interactive;

/// <summary>Where a <see cref="LiveChart"/> draws: the first <see cref="Show"/> displays, later ones replace that display.</summary>
public interface IChartView
{
    /// <summary>Displays <paramref name="chart"/>, replacing what this view showed before.</summary>
    void Show(GenericChart chart);
}
