using System.Text;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Appends every <see cref="StepReport"/> to a JSON Lines file, one object per line, flushed per report so a
/// killed run loses at most the line being written. Use through <see cref="SinkExtensions.LogJsonLines"/>.
/// </summary>
public sealed class JsonLinesLog : IObserver<StepReport>, IDisposable
{
    StreamWriter? writer;

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
        writer ??= new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        writer.WriteLine(StepReportJson.Serialize(value));
        writer.Flush();
    }

    /// <inheritdoc />
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <inheritdoc />
    public void Dispose() => writer?.Dispose();

    /// <summary>Reads a log back; a bad line is an error naming the file and line number.</summary>
    public static IEnumerable<StepReport> Read(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line)) yield return StepReportJson.Deserialize(line, $"{path}:{number}");
        }
    }
}
