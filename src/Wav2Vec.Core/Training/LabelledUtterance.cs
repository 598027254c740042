using Wav2Vec.Audio;

namespace Wav2Vec.Training;

/// <summary>One transcribed utterance of a fine-tuning split: its audio file, length and raw transcript.</summary>
/// <param name="Id">Utterance id, used in error messages and evaluation reports.</param>
/// <param name="AudioPath">Audio file (WAV/MP3, decoded to 16 kHz mono when its batch is formed).</param>
/// <param name="NumSamples">Length in 16 kHz samples (from the manifest), used to plan batches without decoding.</param>
/// <param name="Transcript">Raw or normalised transcript; the tokenizer normalises it.</param>
public sealed record LabelledUtterance(string Id, string AudioPath, long NumSamples, string Transcript)
{
    /// <summary>The (id, waveform, reference) triple evaluation takes, with the audio decoded to 16 kHz mono.</summary>
    public (string Id, float[] Waveform, string Reference) Decode() => (Id, AudioDecoder.Decode(AudioPath), Transcript);
}
