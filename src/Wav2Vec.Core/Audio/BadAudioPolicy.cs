using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Wav2Vec.Audio;

/// <summary>What the data pipeline does with a file it cannot use.</summary>
public enum BadAudioPolicy
{
    /// <summary>Stop with the <see cref="AudioDecodeException"/> naming the file (the default).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
    /// <summary>Leave the utterance out, count it in a <see cref="SkipReport"/>, and go on.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}

/// <summary>Thread-safe tally of skipped files, reported at the end of a pass.</summary>
/// <param name="onSkip">Told of each skip as it happens (e.g. to name the file in a run's log); called on the decoding thread.</param>
public sealed class SkipReport(Action<AudioDecodeException>? onSkip = null)
{
    readonly ConcurrentQueue<AudioDecodeException> skipped = new();

    /// <summary>Records one skipped file.</summary>
    public void Add(AudioDecodeException problem)
    {
        skipped.Enqueue(problem);
        onSkip?.Invoke(problem);
    }

    /// <summary>How many files were skipped.</summary>
    public int Count => skipped.Count;

    /// <summary>Skips per problem class.</summary>
    public IReadOnlyDictionary<AudioProblem, int> ByProblem =>
        skipped.GroupBy(e => e.Problem).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Every skipped file with its reason.</summary>
    public IReadOnlyList<AudioDecodeException> Skipped => [.. skipped];

    /// <summary>One line per problem class plus the first few files, e.g. for a console report; empty when nothing was skipped.</summary>
    public string Describe(int examples = 5) =>
        Count == 0 ? "" :
        $"skipped {Count} file(s): {string.Join(", ", ByProblem.Select(p => $"{p.Value} {p.Key}"))}" +
        string.Concat(Skipped.Take(examples).Select(e => $"{Environment.NewLine}  {e.Message}"));
}
