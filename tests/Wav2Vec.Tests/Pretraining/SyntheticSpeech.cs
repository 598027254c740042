using System.Diagnostics;
using Wav2Vec.IO;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>
/// English speech synthesised with espeak-ng and resampled to 16 kHz mono 16-bit by sox (both listed in
/// .ci/apt-packages), so learning tests need no downloaded corpus.
/// </summary>
static class SyntheticSpeech
{
    public static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog while the band plays on.",
        "She sells sea shells by the sea shore every summer morning.",
        "A large fraction of the frames is masked before the context network sees them.",
        "Seven silver swans swam silently across the misty lake at dawn.",
        "Please call Stella and ask her to bring these things with her from the store.",
        "Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob.",
        "We also need a small plastic snake and a big toy frog for the kids.",
        "The rainbow is a division of white light into many beautiful colors.",
        "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow.",
        "Thunder rolled over the valley as the old farmer hurried his cattle into the barn.",
        "Learning representations from raw audio needs no transcriptions at all.",
        "Numbers like twenty three, forty seven and ninety nine are spoken slowly here.",
        "The children laughed and sang songs around the warm camp fire late into the night.",
        "Every good boy deserves fudge, said the music teacher with a smile.",
    ];

    /// <summary>Speaks <paramref name="text"/> and returns 16 kHz mono samples in [−1, 1).</summary>
    public static float[] Speak(string text, string voice, int wordsPerMinute, int pitch, string folder)
    {
        var name = Path.Combine(folder, $"{Guid.NewGuid():N}");
        Run("espeak-ng", ["-v", voice, "-s", $"{wordsPerMinute}", "-p", $"{pitch}", "-w", name + ".raw.wav", text]);
        Run("sox", [name + ".raw.wav", "-r", "16000", "-c", "1", "-b", "16", name + ".wav"]);
        return Pcm16Wave.Read(name + ".wav");
    }

    /// <summary>Every sentence in every (voice, speed, pitch) variant given.</summary>
    public static List<float[]> Corpus(IEnumerable<string> sentences, IEnumerable<(string Voice, int Speed, int Pitch)> variants)
    {
        var folder = Directory.CreateTempSubdirectory("wav2vec-synthetic-").FullName;
        try
        {
            return variants.SelectMany(v => sentences.Select(s => Speak(s, v.Voice, v.Speed, v.Pitch, folder))).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static void Run(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed: apt-get install -y {program} (it is in .ci/apt-packages).", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error}");
        }
    }
}
