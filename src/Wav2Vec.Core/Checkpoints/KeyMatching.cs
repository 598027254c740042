namespace Wav2Vec.Checkpoints;

/// <summary>How a checkpoint's tensor names must match the model's.</summary>
public enum KeyMatching
{
    /// <summary>Exactly the same names; any missing or unexpected key is an error listing them all.</summary>
    Strict,

    /// <summary>
    /// The shared network (<c>wav2vec2.*</c>) must match exactly; task heads the file lacks keep their fresh
    /// initialisation and heads the model lacks are ignored, both listed in the <see cref="LoadReport"/>. This is how a
    /// pre-training checkpoint becomes a CTC model and vice versa. <c>wav2vec2.masked_spec_embed</c> counts as a head:
    /// Hugging Face omits it when masking is off.
    /// </summary>
    SharedNetwork,
}

/// <summary>What a load did.</summary>
/// <param name="Source">The weight file read.</param>
/// <param name="Loaded">Names copied into the model.</param>
/// <param name="Missing">Model names the file lacks (left as initialised).</param>
/// <param name="Unexpected">File names the model lacks (ignored).</param>
/// <param name="Renamed">File names read under another name (<c>parametrizations.weight.original0/1</c> → <c>weight_g/v</c>, bare-model prefixes).</param>
public sealed record LoadReport(string Source, IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected, IReadOnlyList<string> Renamed)
{
    /// <summary>One line per category, for logs.</summary>
    public override string ToString() =>
        $"{Source}: loaded {Loaded.Count} tensors" +
        (Missing.Count > 0 ? $"; newly initialised: {string.Join(", ", Missing)}" : "") +
        (Unexpected.Count > 0 ? $"; ignored: {string.Join(", ", Unexpected)}" : "") +
        (Renamed.Count > 0 ? $"; renamed: {Renamed.Count}" : "");
}

/// <summary>A checkpoint does not fit the model; the message names the file and the tensors at fault.</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);
