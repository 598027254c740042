using System.Diagnostics;
using Wav2Vec.Audio;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Ctc;

/// <summary>
/// Transcribed speech made with espeak-ng (a CI apt package) through a process: sentences of
/// <c>minWords</c>..<c>maxWords</c> words drawn with a fixed seed from the first <c>vocabularyWords</c> of a small
/// word list, so the same words recur and a tiny model can learn letters from two minutes of audio.
/// Files are cached under the temp folder by sentence.
/// </summary>
static class SyntheticSpeech
{
    static readonly string[] Words =
    [
        "the", "cat", "dog", "sat", "on", "a", "mat", "big", "red", "sun", "run", "fast", "blue", "sky", "old",
        "man", "boat", "sea", "green", "tree", "bird", "sings", "we", "go", "home", "now", "see", "it", "fish", "swim",
    ];

    static string Cache => Path.Combine(Path.GetTempPath(), "wav2vec-tests-espeak");

    /// <summary>Utterances totalling at least <paramref name="seconds"/> of audio, with decoded waveforms.</summary>
    public static IReadOnlyList<(LabelledUtterance Utterance, float[] Waveform)> Make(double seconds, int seed, int minWords = 3, int maxWords = 5, int vocabularyWords = 30)
    {
        Directory.CreateDirectory(Cache);
        var random = new Random(seed);
        var result = new List<(LabelledUtterance, float[])>();
        double total = 0;
        for (int i = 0; total < seconds; i++)
        {
            var sentence = string.Join(' ', Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => Words[random.Next(Math.Min(vocabularyWords, Words.Length))]));
            var path = Path.Combine(Cache, sentence.Replace(' ', '_') + ".wav");
            if (!File.Exists(path)) Speak(sentence, path);
            var waveform = AudioDecoder.Decode(path);
            result.Add((new LabelledUtterance($"synthetic-{seed}-{i}", path, waveform.Length, sentence), waveform));
            total += waveform.Length / 16000.0;
        }
        return result;
    }

    static void Speak(string sentence, string path)
    {
        var temp = path + ".part";
        using var process = Process.Start(new ProcessStartInfo("espeak-ng", ["-v", "en-us", "-s", "170", "-w", temp, sentence])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("espeak-ng could not be started (apt-get install espeak-ng).");
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"espeak-ng failed on '{sentence}': {process.StandardError.ReadToEnd()}");
        File.Move(temp, path, overwrite: true);
    }
}
