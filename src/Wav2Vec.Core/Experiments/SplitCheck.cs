using Wav2Vec.Audio;
using Wav2Vec.Data;

namespace Wav2Vec.Experiments;

/// <summary>
/// Evaluation splits checked before training: every file of a dev or test split is decoded once before the first
/// update, with the checks evaluation applies (format, length limits, the manifest's length), so a bad dev file stops
/// or is skipped at the start of a run, not at its first evaluation hours later.
/// </summary>
public static class SplitCheck
{
    /// <summary>
    /// <paramref name="manifest"/> without its unusable entries: each bad file goes to <paramref name="skipped"/> with
    /// <see cref="BadAudioPolicy.Skip"/>, or stops the check with its <see cref="AudioDecodeException"/> with
    /// <see cref="BadAudioPolicy.Fail"/>.
    /// </summary>
    public static Manifest Usable(Manifest manifest, DecodeOptions options, BadAudioPolicy policy, Action<AudioDecodeException> skipped)
    {
        var usable = new List<ManifestEntry>(manifest.Entries.Count);
        foreach (var entry in manifest.Entries)
        {
            try
            {
                new Utterance(entry.Id, manifest.FullPath(entry), entry.NumSamples).Decode(options);
                usable.Add(entry);
            }
            catch (AudioDecodeException e) when (policy == BadAudioPolicy.Skip)
            {
                skipped(e);
            }
        }
        return manifest with { Entries = usable };
    }
}
