using Wav2Vec.Data;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Training;

/// <summary>Batches for step-function tests, made the way the data path makes them.</summary>
static class TestBatches
{
    /// <summary>Unpadded audio <c>[batch, samples]</c> as a batch (the tensor is the batch's: dispose one or the other).</summary>
    public static Batch Of(Tensor audio) =>
        new(audio, [.. Enumerable.Repeat(audio.shape[1], (int)audio.shape[0])], null, null, [.. Enumerable.Range(0, (int)audio.shape[0]).Select(i => $"row{i}")]);

    /// <summary>Waveforms padded to the longest, with their transcripts encoded by <paramref name="labels"/> (the fine-tuning collation).</summary>
    public static Batch Labelled(ILabelEncoder labels, params (string Id, float[] Waveform, string Transcript)[] items) =>
        Batch.FromCollated(Collate.Pad([.. items.Select(i => new AudioUtterance(new Utterance(i.Id, i.Id + ".wav", i.Waveform.Length, i.Transcript), i.Waveform))], labels));

    /// <summary>A metric of an update report.</summary>
    public static double Metric(this Wav2Vec.Training.UpdateReport report, string name) => report.Metrics.Single(m => m.Key == name).Value;
}
