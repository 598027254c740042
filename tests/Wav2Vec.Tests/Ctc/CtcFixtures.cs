using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Ctc;

/// <summary>Fixture access and small builders shared by the CTC tests.</summary>
static class CtcFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-tiny-group");

    /// <summary>Log-probabilities [T][V] of a float32 .npy of logits shaped [1, T, V].</summary>
    public static float[][] ReadLogProbs(string path)
    {
        TorchRuntime.Initialize();
        using var logits = Npy.Read(path);
        return LogProbs.FromLogits(logits[0]);
    }

    /// <summary>A one-hot-like [T][V] log-probability matrix whose best path is <paramref name="path"/> with probability <paramref name="peak"/> per frame.</summary>
    public static float[][] Peaky(IReadOnlyList<int> path, int vocab, double peak, Random random) =>
        path.Select(token =>
        {
            var rest = Enumerable.Range(0, vocab).Select(_ => random.NextDouble() + 1e-3).ToArray();
            rest[token] = 0;
            double sum = rest.Sum();
            return Enumerable.Range(0, vocab)
                .Select(v => (float)Math.Log(v == token ? peak : (1 - peak) * rest[v] / sum)).ToArray();
        }).ToArray();

    /// <summary>A random CTC path spelling <paramref name="tokens"/>: each token repeated 1–3 times, blanks sprinkled, a blank forced between equal neighbours.</summary>
    public static int[] Expand(IReadOnlyList<int> tokens, int blank, Random random)
    {
        var path = new List<int>();
        for (int i = 0; i < tokens.Count; i++)
        {
            int blanks = random.Next(3) == 0 ? random.Next(1, 3) : 0;
            if (i > 0 && tokens[i] == tokens[i - 1]) blanks = Math.Max(blanks, 1);
            path.AddRange(Enumerable.Repeat(blank, blanks));
            path.AddRange(Enumerable.Repeat(tokens[i], random.Next(1, 4)));
        }
        path.AddRange(Enumerable.Repeat(blank, random.Next(3)));
        return [.. path];
    }

    /// <summary>Random token ids in 1..vocab-1 (never the blank 0), length 0..maxLength.</summary>
    public static int[] RandomTokens(Random random, int vocab, int maxLength) =>
        Enumerable.Range(0, random.Next(maxLength + 1)).Select(_ => random.Next(1, vocab)).ToArray();
}
