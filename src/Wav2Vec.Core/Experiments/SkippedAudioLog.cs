using Wav2Vec.Audio;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>One audio file a run left out: the split it belongs to, the file, and why.</summary>
public sealed record SkippedAudio(string Split, string Path, AudioProblem Problem, string Detail);

/// <summary>
/// Names every audio file a run leaves out (<see cref="CorpusSpec.BadAudio"/> <c>skip</c>): once per split and file,
/// on the console and as a line of the run's <c>skipped.tsv</c> (<c>split, path, problem, detail</c>, tab-separated,
/// with a header), which a resumed run continues. Thread-safe: decoding threads report to it.
/// </summary>
public sealed class SkippedAudioLog : IDisposable
{
    /// <summary>The header line of <c>skipped.tsv</c>.</summary>
    public const string Header = "split\tpath\tproblem\tdetail";

    readonly HashSet<(string Split, string Path)> named = [];
    readonly Action<string> log;
    readonly string path;
    readonly object gate = new();
    LineFile? file;

    /// <summary>Continues the <c>skipped.tsv</c> of <paramref name="folder"/> (a line cut off by a kill is removed first).</summary>
    public SkippedAudioLog(RunFolder folder, Action<string> log)
    {
        (path, this.log) = (folder.SkippedAudio, log);
        foreach (var entry in Parse(LineFile.Repair(path, log))) named.Add((entry.Split, entry.Path));
    }

    /// <summary>Distinct files skipped so far (over the whole run, resumes included).</summary>
    public int Count
    {
        get { lock (gate) return named.Count; }
    }

    /// <summary>Names <paramref name="problem"/>'s file as skipped from <paramref name="split"/>, unless it already was.</summary>
    public void Add(string split, AudioDecodeException problem)
    {
        var detail = Flat(problem.Message.StartsWith(problem.FilePath + ": ", StringComparison.Ordinal)
            ? problem.Message[(problem.FilePath.Length + 2)..]
            : problem.Message);
        lock (gate)
        {
            if (!named.Add((split, problem.FilePath))) return;
            if (file is null)
            {
                var fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
                file = new LineFile(path);
                if (fresh) file.Append(Header);
            }
            file.Append(string.Join('\t', split, Flat(problem.FilePath), problem.Problem, detail));
            log($"skipped {problem.FilePath} ({split}): {detail}");
        }
    }

    /// <summary>The files <c>skipped.tsv</c> at <paramref name="path"/> names; none when it does not exist.</summary>
    public static IReadOnlyList<SkippedAudio> Read(string path) => Parse(LineFile.Read(path).Lines);

    static IReadOnlyList<SkippedAudio> Parse(IReadOnlyList<string> lines) =>
        lines.Skip(1)
            .Select(line => line.Split('\t', 4))
            .Where(f => f.Length == 4)
            .Select(f => new SkippedAudio(f[0], f[1], Enum.TryParse<AudioProblem>(f[2], out var p) ? p : AudioProblem.CorruptData, f[3]))
            .ToList();

    static string Flat(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate) file?.Dispose();
    }
}
