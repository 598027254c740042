using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Appends every <see cref="StepReport"/> to a JSON Lines file, one object per line, each line written whole in one
/// write (<see cref="LineFile"/>), so a killed run loses at most the line being written. Use through
/// <see cref="SinkExtensions.LogJsonLines"/>.
/// </summary>
public sealed class JsonLinesLog : IObserver<StepReport>, IDisposable
{
    LineFile? writer;

    /// <summary>
    /// A log at <paramref name="path"/>, appended to (so a resumed run continues its log) from the first report on,
    /// so a resumed run may trim it before; creates its folder.
    /// </summary>
    public JsonLinesLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    /// <summary>Absolute path of the log.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void OnNext(StepReport value)
    {
        writer ??= new LineFile(Path);
        writer.Append(StepReportJson.Serialize(value));
    }

    /// <inheritdoc />
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <inheritdoc />
    public void Dispose() => writer?.Dispose();

    /// <summary>
    /// Reads a log back; a bad line is an error naming the file and line number, except a cut-off last line (a run
    /// killed while writing it, or still writing it), which is left out.
    /// </summary>
    public static IEnumerable<StepReport> Read(string path)
    {
        var (lines, cut) = LineFile.Read(path);
        for (var i = 0; i < lines.Count; i++)
            if (!string.IsNullOrWhiteSpace(lines[i])) yield return StepReportJson.Deserialize(lines[i], $"{path}:{i + 1}");
        if (cut is not null && StepReportJson.TryDeserialize(cut) is { } last) yield return last;
    }
}
