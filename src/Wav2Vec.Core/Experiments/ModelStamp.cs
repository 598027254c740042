namespace Wav2Vec.Experiments;

/// <summary>
/// The identity of the model a fine-tuning run starts from: the SHA-256 of its config, weights and vocabulary
/// (<c>config.json</c>, <c>*.safetensors</c>, <c>pytorch_model.bin</c>, <c>vocab.json</c>) in <c>sha256sum</c>'s format.
/// A run folder keeps it as <see cref="FileName"/>, so a run is neither continued nor reused as finished when the model
/// under the same path has changed since it began (a new version of a shipped model, say).
/// </summary>
public static class ModelStamp
{
    /// <summary>File name of the stamp in a run folder.</summary>
    public const string FileName = "pretrained.sha256";

    static readonly string[] Patterns = ["config.json", "*.safetensors", "pytorch_model.bin", "vocab.json"];

    /// <summary>The stamp of the model in <paramref name="directory"/>, or null when there is no such directory.</summary>
    public static string? Of(string directory) =>
        Directory.Exists(directory) ? OfFiles(Files(directory)) : null;

    /// <summary>The files of the model in <paramref name="directory"/> that its stamp covers, in ordinal order.</summary>
    internal static IEnumerable<string> Files(string directory) =>
        Patterns.SelectMany(p => Directory.EnumerateFiles(directory, p)).Distinct().Order(StringComparer.Ordinal);

    /// <summary>One <c>HASH  NAME</c> line per file of <paramref name="files"/>, in their order, as <c>sha256sum</c> writes them.</summary>
    internal static string OfFiles(IEnumerable<string> files) =>
        string.Concat(files.Select(f => $"{CheckpointChecksums.Hash(f)}  {Path.GetFileName(f)}\n"));
}
