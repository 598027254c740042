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
        Directory.Exists(directory)
            ? string.Concat(Patterns.SelectMany(p => Directory.EnumerateFiles(directory, p)).Distinct().Order(StringComparer.Ordinal)
                .Select(f => $"{CheckpointChecksums.Hash(f)}  {Path.GetFileName(f)}\n"))
            : null;
}
