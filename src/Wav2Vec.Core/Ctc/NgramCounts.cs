namespace Wav2Vec.Ctc;

/// <summary>
/// Raw n-gram counts of orders 1..N over sentences padded as <c>&lt;s&gt; w1 … wk &lt;/s&gt;</c>
/// (one start marker, as KenLM pads). Keys are space-joined words.
/// </summary>
public sealed class NgramCounts
{
    /// <summary><c>ByOrder[n-1]</c>: counts of n-grams.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, long>> ByOrder { get; }

    /// <summary>Model order N.</summary>
    public int Order => ByOrder.Count;

    /// <summary>Number of sentences counted.</summary>
    public long Sentences { get; }

    NgramCounts(IReadOnlyList<IReadOnlyDictionary<string, long>> byOrder, long sentences) => (ByOrder, Sentences) = (byOrder, sentences);

    /// <summary>Counts every n-gram (n ≤ <paramref name="order"/>) of the given sentences (each a list of words).</summary>
    public static NgramCounts Count(IEnumerable<IReadOnlyList<string>> sentences, int order)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "the n-gram order must be at least 1.");
        var counts = Enumerable.Range(0, order).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
        long sentenceCount = 0;
        foreach (var sentence in sentences)
        {
            if (sentence.Count == 0) continue;
            sentenceCount++;
            var padded = sentence.Prepend(ArpaLanguageModel.SentenceStart).Append(ArpaLanguageModel.SentenceEnd).ToArray();
            for (int n = 1; n <= order; n++)
                for (int i = 0; i + n <= padded.Length; i++)
                {
                    var key = string.Join(' ', padded, i, n);
                    counts[n - 1][key] = counts[n - 1].GetValueOrDefault(key) + 1;
                }
        }
        return new NgramCounts(counts, sentenceCount);
    }

    /// <summary>The words of <paramref name="key"/> but the first (the next-lower-order history or n-gram).</summary>
    public static string DropFirst(string key) { int i = key.IndexOf(' '); return i < 0 ? "" : key[(i + 1)..]; }

    /// <summary>The words of <paramref name="key"/> but the last (its history).</summary>
    public static string DropLast(string key) { int i = key.LastIndexOf(' '); return i < 0 ? "" : key[..i]; }
}
