using Wav2Vec.Audio;
using Wav2Vec.Text;

namespace Wav2Vec.Data;

/// <summary>What <see cref="ManifestBuilder.FromFolder"/> built and what it left out.</summary>
/// <param name="Manifest">The manifest; labelled when transcripts were found.</param>
/// <param name="Skipped">Audio files that could not be decoded (only with <see cref="BadAudioPolicy.Skip"/>).</param>
/// <param name="WithoutTranscript">Audio left out of a labelled manifest because no <c>.txt</c>/<c>.lab</c> lies beside it.</param>
/// <param name="Unmapped">Per utterance id, the transcript characters the normaliser could not map.</param>
public sealed record ManifestBuildResult(
    Manifest Manifest, SkipReport Skipped, IReadOnlyList<string> WithoutTranscript, IReadOnlyList<(string Id, string Characters)> Unmapped);

/// <summary>Builds a manifest from a folder of audio (the <c>./wav2vec data manifest</c> verb).</summary>
public static class ManifestBuilder
{
    /// <summary>Transcript file extensions looked for beside each audio file, in order of preference.</summary>
    public static readonly IReadOnlyList<string> TranscriptExtensions = [".txt", ".lab"];

    /// <summary>
    /// Scans <paramref name="audioDir"/> recursively for audio (<see cref="AudioFormats.Recognised"/>), decodes each file
    /// in parallel to count its 16 kHz samples and validate it, and reads transcripts from <c>.txt</c>/<c>.lab</c> files
    /// beside the audio. When any transcript exists the manifest is labelled and audio without one is left out and listed.
    /// Entries are sorted by path, so the result is deterministic.
    /// </summary>
    /// <exception cref="AudioDecodeException">A bad file, when <paramref name="policy"/> is <see cref="BadAudioPolicy.Fail"/>.</exception>
    public static ManifestBuildResult FromFolder(
        string audioDir, string language = TranscriptNormalizer.DefaultLanguage, BadAudioPolicy policy = BadAudioPolicy.Fail,
        DecodeOptions? decode = null, IProgress<int>? progress = null)
    {
        var root = Path.GetFullPath(audioDir);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: audio folder not found");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => AudioFormats.Recognised.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        var normalizer = TranscriptNormalizer.For(language);
        var skipped = new SkipReport();
        var lengths = new long?[files.Length];
        var done = 0;
        try
        {
            Parallel.For(0, files.Length, i => Measure(i));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is AudioDecodeException))
        {
            throw e.InnerExceptions.Cast<AudioDecodeException>().MinBy(x => x.FilePath, StringComparer.Ordinal)!;
        }
        void Measure(int i)
        {
            try
            {
                lengths[i] = AudioDecoder.Decode(files[i], decode).Length;
            }
            catch (AudioDecodeException e) when (policy == BadAudioPolicy.Skip)
            {
                skipped.Add(e);
            }
            progress?.Report(Interlocked.Increment(ref done));
        }
        var transcripts = files.Select(FindTranscript).ToArray();
        var labelled = transcripts.Any(t => t is not null);
        var entries = new List<ManifestEntry>();
        var withoutTranscript = new List<string>();
        var unmapped = new List<(string, string)>();
        for (var i = 0; i < files.Length; i++)
        {
            if (lengths[i] is not { } n) continue;
            var relative = Path.GetRelativePath(root, files[i]).Replace(Path.DirectorySeparatorChar, '/');
            if (!labelled) { entries.Add(new ManifestEntry(relative, n)); continue; }
            if (transcripts[i] is not { } transcriptPath) { withoutTranscript.Add(relative); continue; }
            var normalized = normalizer.Normalize(File.ReadAllText(transcriptPath));
            var entry = new ManifestEntry(relative, n, normalized.Letters, normalized.ToWrd());
            if (!normalized.IsClean) unmapped.Add((entry.Id, normalized.DescribeUnmapped()));
            entries.Add(entry);
        }
        return new ManifestBuildResult(new Manifest(root, entries), skipped, withoutTranscript, unmapped);
    }

    static string? FindTranscript(string audioPath) =>
        TranscriptExtensions.Select(ext => Path.ChangeExtension(audioPath, ext)).FirstOrDefault(File.Exists);
}
