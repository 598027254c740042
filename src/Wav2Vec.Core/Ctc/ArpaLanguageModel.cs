using System.Globalization;
using System.Text;
using Wav2Vec.Sinks;

namespace Wav2Vec.Ctc;

/// <summary>One ARPA entry: log10 probability and log10 back-off weight (0 when absent).</summary>
public readonly record struct NgramEntry(double LogProb, double BackOff);

/// <summary>
/// A back-off word n-gram language model in ARPA format (log10 probabilities), read and written by hand
/// (no served .NET package reads ARPA files). Scoring follows Katz back-off:
/// log P(w | h) = log P(h w) if h w is listed, else BackOff(h) + log P(w | h without its first word).
/// </summary>
public sealed class ArpaLanguageModel
{
    public const string SentenceStart = "<s>";
    public const string SentenceEnd = "</s>";
    public const string UnknownWord = "<unk>";

    /// <summary>log10 probability given to a word the model has never seen when it lists no <c>&lt;unk&gt;</c>.</summary>
    public const double UnlistedWordLogProb = -10.0;

    readonly Dictionary<string, NgramEntry> entries;
    readonly Dictionary<string, NgramEntry>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <summary>Model order N (longest n-gram).</summary>
    public int Order { get; }

    /// <summary>Creates a model from n-grams keyed by their space-joined words.</summary>
    public ArpaLanguageModel(int order, IReadOnlyDictionary<string, NgramEntry> ngrams)
    {
        Order = order;
        entries = new Dictionary<string, NgramEntry>(ngrams, StringComparer.Ordinal);
        lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>All n-grams, keyed by space-joined words.</summary>
    public IReadOnlyDictionary<string, NgramEntry> Ngrams => entries;

    /// <summary>Words of the unigram section.</summary>
    public IEnumerable<string> Vocabulary => entries.Keys.Where(k => !k.Contains(' '));

    /// <summary>Whether <paramref name="word"/> is a listed unigram.</summary>
    public bool Contains(string word) => entries.ContainsKey(word);

    /// <summary>log10 P(<paramref name="word"/> | <paramref name="context"/>); only the last N−1 context words matter.</summary>
    public double LogProb(IReadOnlyList<string> context, string word)
    {
        if (!entries.ContainsKey(word)) word = entries.ContainsKey(UnknownWord) ? UnknownWord : word;
        // "h1 … hk word" once; every shorter history and n-gram tried is a span of it (a beam search asks millions of times).
        int first = Math.Max(0, context.Count - (Order - 1)), histories = context.Count - first, length = word.Length;
        for (int i = first; i < context.Count; i++) length += context[i].Length + 1;
        Span<char> text = length <= 256 ? stackalloc char[length] : new char[length];
        Span<int> starts = stackalloc int[histories + 1];
        int at = 0;
        for (int i = first; i < context.Count; i++)
        {
            starts[i - first] = at;
            context[i].CopyTo(text[at..]);
            at += context[i].Length;
            text[at++] = ' ';
        }
        starts[histories] = at;
        word.CopyTo(text[at..]);
        double backOff = 0;
        for (int s = 0; s <= histories; s++)
        {
            if (lookup.TryGetValue(text[starts[s]..], out var hit)) return backOff + hit.LogProb;
            var history = s < histories ? text[starts[s]..(at - 1)] : [];
            if (history.Length > 0 && lookup.TryGetValue(history, out var h)) backOff += h.BackOff;
        }
        return backOff + UnlistedWordLogProb;
    }

    /// <summary>Reads an ARPA file; errors name the file and line.</summary>
    public static ArpaLanguageModel Load(string path)
    {
        var ngrams = new Dictionary<string, NgramEntry>(StringComparer.Ordinal);
        int order = 0, section = 0, lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("ngram ", StringComparison.Ordinal) || line == "\\data\\") continue;
            if (line == "\\end\\") break;
            if (line.StartsWith('\\') && line.EndsWith("-grams:", StringComparison.Ordinal))
            {
                section = int.Parse(line.AsSpan(1, line.IndexOf('-') - 1), CultureInfo.InvariantCulture);
                order = Math.Max(order, section);
                continue;
            }
            if (section == 0) throw new FormatException($"{path}:{lineNumber}: text before the first \\N-grams: section.");
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != section + 1 && fields.Length != section + 2)
                throw new FormatException($"{path}:{lineNumber}: expected a log-probability, {section} word(s) and an optional back-off weight.");
            if (!double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var logProb))
                throw new FormatException($"{path}:{lineNumber}: '{fields[0]}' is not a number.");
            double backOff = 0;
            if (fields.Length == section + 2 && !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out backOff))
                throw new FormatException($"{path}:{lineNumber}: back-off weight '{fields[^1]}' is not a number.");
            ngrams[string.Join(' ', fields.Skip(1).Take(section))] = new NgramEntry(logProb, backOff);
        }
        if (order == 0) throw new FormatException($"{path}: no \\1-grams: section; not an ARPA file.");
        return new ArpaLanguageModel(order, ngrams);
    }

    /// <summary>
    /// Writes the model in ARPA format (n-grams of each order in ordinal order, so output is deterministic), whole or not
    /// at all (<see cref="AtomicFile"/>), so a file that exists is a complete model.
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, Write);

    void Write(Stream stream)
    {
        var byOrder = Enumerable.Range(1, Order)
            .Select(n => entries.Where(kv => kv.Key.Count(c => c == ' ') == n - 1).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList())
            .ToList();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        writer.WriteLine("\\data\\");
        for (int n = 1; n <= Order; n++) writer.WriteLine($"ngram {n}={byOrder[n - 1].Count}");
        for (int n = 1; n <= Order; n++)
        {
            writer.WriteLine();
            writer.WriteLine($"\\{n}-grams:");
            foreach (var (key, e) in byOrder[n - 1])
            {
                writer.WriteLine(n < Order && e.BackOff != 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{e.LogProb:0.#######}\t{key}\t{e.BackOff:0.#######}")
                    : string.Create(CultureInfo.InvariantCulture, $"{e.LogProb:0.#######}\t{key}"));
            }
        }
        writer.WriteLine();
        writer.WriteLine("\\end\\");
    }
}
