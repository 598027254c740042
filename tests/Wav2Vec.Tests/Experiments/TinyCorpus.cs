using Wav2Vec.Audio;
using Wav2Vec.Data;

namespace Wav2Vec.Tests.Experiments;

/// <summary>A throw-away corpus of synthetic "speech-like" signals (harmonic chirps with noise) and its manifest.</summary>
static class TinyCorpus
{
    static readonly string[] Words = ["THE", "CAT", "SAT", "ON", "A", "MAT", "DOG", "RAN"];

    /// <summary>
    /// Writes <paramref name="count"/> utterances of 1–2 s into a fresh folder with a <c>train</c> manifest (and, when
    /// <paramref name="labelled"/>, made-up transcripts plus a <c>dev</c> split of the first three); every utterance
    /// has exactly <paramref name="samples"/> samples when given.
    /// </summary>
    public static string Create(int count = 12, int seed = 5, bool labelled = false, int? samples = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tiny-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "audio"));
        var random = new Random(seed);
        var entries = new List<ManifestEntry>();
        for (int i = 0; i < count; i++)
        {
            var length = 16000 + random.Next(16000);
            var audio = new float[samples ?? length];
            double f0 = 100 + random.NextDouble() * 150, phase = 0;
            for (int t = 0; t < audio.Length; t++)
            {
                var f = f0 * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 8000.0 + i));
                phase += 2 * Math.PI * f / 16000;
                var voiced = Math.Sin(2 * Math.PI * t / 3200.0 + i) > -0.3 ? 1.0 : 0.1;
                audio[t] = (float)(voiced * 0.2 * (Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.25 * Math.Sin(3 * phase))
                                     + 0.01 * (random.NextDouble() - 0.5));
            }
            var relative = $"audio/u{i:D3}.wav";
            WavWriter.WriteMono16(Path.Combine(folder, relative), audio);
            var words = labelled ? string.Join(" ", Enumerable.Range(0, 2 + random.Next(2)).Select(_ => Words[random.Next(Words.Length)])) : null;
            var letters = words is null ? null : string.Join(" ", words.Split(' ').Select(w => string.Join(" ", w.ToCharArray()) + " |"));
            entries.Add(new ManifestEntry(relative, audio.Length, letters, words));
        }
        ManifestFiles.Write(folder, "train", new Manifest(folder, entries));
        if (labelled) ManifestFiles.Write(folder, "dev", new Manifest(folder, entries.Take(3).ToList()));
        return folder;
    }
}
