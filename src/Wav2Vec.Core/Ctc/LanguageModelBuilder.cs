using Wav2Vec.Text;

namespace Wav2Vec.Ctc;

/// <summary>Smoothing method of <see cref="LanguageModelBuilder"/>.</summary>
public enum Smoothing
{
    /// <summary>Interpolated modified Kneser–Ney (Chen &amp; Goodman, 1998), as KenLM's lmplz.</summary>
    ModifiedKneserNey,
    /// <summary>Interpolated Witten–Bell.</summary>
    WittenBell,
}

/// <summary>What the builder did: sizes, and the discounts per order (Kneser–Ney) with whether they fell back.</summary>
public sealed record LanguageModelReport(int Order, long Sentences, IReadOnlyList<int> NgramsPerOrder,
    IReadOnlyList<(double D1, double D2, double D3, bool FellBack)> Discounts);

/// <summary>
/// Builds a back-off ARPA word n-gram model from sentences. Written by hand: no served .NET package builds
/// n-gram language models (KenLM and SRILM are native tools). Both smoothings are interpolated, which makes
/// the stored probability of a listed n-gram its full interpolated probability and the back-off weight of a
/// history exactly the mass its lower order receives, so the ARPA file reproduces the model.
/// The unigram level interpolates with the uniform distribution over the vocabulary (seen words,
/// <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c>); <c>&lt;s&gt;</c> is never predicted (log10 prob −99).
/// </summary>
public static class LanguageModelBuilder
{
    /// <summary>KenLM's <c>--discount_fallback</c> values, used when an order's count-of-counts leave a discount undefined or out of range (tiny corpora).</summary>
    public static readonly (double D1, double D2, double D3) FallbackDiscounts = (0.5, 1.0, 1.5);

    /// <summary>Builds a model of order <paramref name="order"/> from sentences (lists of already normalised words).</summary>
    public static (ArpaLanguageModel Model, LanguageModelReport Report) Build(IEnumerable<IReadOnlyList<string>> sentences, int order, Smoothing smoothing)
    {
        var counts = NgramCounts.Count(sentences, order);
        if (counts.Sentences == 0) throw new ArgumentException("language model: the text has no words.");
        // Kneser–Ney replaces lower-order counts by continuation counts (distinct left neighbours), Witten–Bell keeps raw counts.
        var adjusted = smoothing == Smoothing.ModifiedKneserNey ? ContinuationCounts(counts) : counts.ByOrder;
        var entries = new Dictionary<string, NgramEntry>(StringComparer.Ordinal);
        var discounts = new List<(double, double, double, bool)>();
        var vocabulary = adjusted[0].Keys.Where(w => w != ArpaLanguageModel.SentenceStart)
            .Append(ArpaLanguageModel.UnknownWord).Distinct().ToList();

        for (int n = 1; n <= order; n++)
        {
            var d = smoothing == Smoothing.ModifiedKneserNey ? Discounts(adjusted[n - 1]) : (0, 0, 0, false);
            discounts.Add(d);
            var grams = n == 1
                ? vocabulary.Select(w => (Key: w, Count: adjusted[0].GetValueOrDefault(w))).ToList()
                : adjusted[n - 1].Select(kv => (Key: kv.Key, Count: kv.Value)).ToList();
            foreach (var group in grams.GroupBy(g => NgramCounts.DropLast(g.Key)))
            {
                double total = group.Sum(g => (double)g.Count);
                double lowerWeight = smoothing == Smoothing.ModifiedKneserNey
                    ? group.Sum(g => Discount(d, g.Count)) / total
                    : group.Count(g => g.Count > 0) / (total + group.Count(g => g.Count > 0));
                double Lower(string key) => n == 1 ? 1.0 / vocabulary.Count : Math.Pow(10, Lookup(entries, NgramCounts.DropFirst(key)));
                foreach (var (key, count) in group)
                {
                    double own = smoothing == Smoothing.ModifiedKneserNey
                        ? (count - Discount(d, count)) / total
                        : count / (total + group.Count(g => g.Count > 0));
                    entries[key] = new NgramEntry(Math.Log10(own + lowerWeight * Lower(key)), 0);
                }
                if (n > 1) entries[group.Key] = entries[group.Key] with { BackOff = Math.Log10(lowerWeight) };
            }
            // <s> is a history, never a prediction: its back-off weight comes from the bigrams it starts.
            if (n == 1) entries[ArpaLanguageModel.SentenceStart] = new NgramEntry(-99, 0);
        }
        var report = new LanguageModelReport(order, counts.Sentences,
            Enumerable.Range(1, order).Select(n => entries.Keys.Count(k => k.Count(c => c == ' ') == n - 1)).ToList(), discounts);
        return (new ArpaLanguageModel(order, entries), report);
    }

    /// <summary>
    /// Builds from a text file, one sentence per line, each normalised by <paramref name="normalizer"/> so the
    /// LM spells words as the acoustic model's vocabulary does. Use training transcripts, never dev or test text.
    /// </summary>
    public static (ArpaLanguageModel Model, LanguageModelReport Report) BuildFromText(string path, int order, Smoothing smoothing, ITranscriptNormalizer normalizer) =>
        Build(File.ReadLines(path).Select(line => normalizer.Normalize(line).Words), order, smoothing);

    static double Lookup(Dictionary<string, NgramEntry> entries, string key) =>
        entries.TryGetValue(key, out var e) ? e.LogProb
            : throw new InvalidOperationException($"language model: lower-order n-gram '{key}' is missing.");

    /// <summary>
    /// Kneser–Ney counts: the highest order and n-grams starting with &lt;s&gt; keep raw counts; every other
    /// n-gram counts the distinct words seen before it.
    /// </summary>
    static IReadOnlyList<IReadOnlyDictionary<string, long>> ContinuationCounts(NgramCounts counts)
    {
        var result = new IReadOnlyDictionary<string, long>[counts.Order];
        result[^1] = counts.ByOrder[^1];
        for (int n = counts.Order - 1; n >= 1; n--)
        {
            var leftNeighbours = counts.ByOrder[n].Keys.GroupBy(NgramCounts.DropFirst).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            result[n - 1] = counts.ByOrder[n - 1].ToDictionary(kv => kv.Key,
                kv => kv.Key.StartsWith(ArpaLanguageModel.SentenceStart + " ", StringComparison.Ordinal) || kv.Key == ArpaLanguageModel.SentenceStart
                    ? kv.Value : leftNeighbours.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
        }
        return result;
    }

    /// <summary>Chen &amp; Goodman's discounts D1, D2, D3+ from the count-of-counts t1..t4 of one order.</summary>
    static (double D1, double D2, double D3, bool FellBack) Discounts(IReadOnlyDictionary<string, long> counts)
    {
        var t = new double[5];
        foreach (var (key, c) in counts)
            if (c is >= 1 and <= 4 && key != ArpaLanguageModel.SentenceStart) t[c]++;
        double y = t[1] / (t[1] + 2 * t[2]);
        double d1 = 1 - 2 * y * t[2] / t[1], d2 = 2 - 3 * y * t[3] / t[2], d3 = 3 - 4 * y * t[4] / t[3];
        bool valid = d1 is > 0 and < 1 && d2 is > 0 and < 2 && d3 is > 0 and < 3;
        return valid ? (d1, d2, d3, false) : (FallbackDiscounts.D1, FallbackDiscounts.D2, FallbackDiscounts.D3, true);
    }

    static double Discount((double D1, double D2, double D3, bool) d, long count) => count switch
    {
        0 => 0,
        1 => d.D1,
        2 => d.D2,
        _ => d.D3,
    };
}
