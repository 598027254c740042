using System.Text;
using Wav2Vec.Ctc;

namespace Wav2Vec.Tests.Ctc;

/// <summary>Fixture access and small builders shared by the CTC tests.</summary>
static class CtcFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-tiny-group");

    /// <summary>Reads a float32 little-endian C-order .npy of shape [1, T, V] into [T][V].</summary>
    public static float[][] ReadLogits(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        var shape = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var dims = shape[..shape.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        int frames = dims[^2], vocab = dims[^1], offset = 10 + headerLength;
        return Enumerable.Range(0, frames)
            .Select(t => Enumerable.Range(0, vocab).Select(v => BitConverter.ToSingle(bytes, offset + 4 * (t * vocab + v))).ToArray())
            .ToArray();
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
