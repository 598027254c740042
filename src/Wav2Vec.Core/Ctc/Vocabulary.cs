using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Wav2Vec.Text;

namespace Wav2Vec.Ctc;

/// <summary>
/// A CTC letter vocabulary in the Hugging Face <c>vocab.json</c> layout: token string → id, with
/// <c>&lt;pad&gt;</c> as the CTC blank and <c>|</c> as the word delimiter. Tokens are whole text elements
/// (grapheme clusters), so a letter with a combining accent is one token.
/// </summary>
public sealed record Vocabulary
{
    public const string PadToken = "<pad>";
    public const string BosToken = "<s>";
    public const string EosToken = "</s>";
    public const string UnkToken = "<unk>";
    public const string WordDelimiterToken = "|";

    /// <summary>The special tokens every vocabulary built here starts with, in id order (as facebook/wav2vec2-base-960h).</summary>
    public static readonly ImmutableArray<string> SpecialTokens = [PadToken, BosToken, EosToken, UnkToken, WordDelimiterToken];

    readonly ImmutableDictionary<string, int> ids;

    /// <summary>Tokens in id order: <c>Tokens[id]</c> is the string of token <c>id</c>.</summary>
    public ImmutableArray<string> Tokens { get; }

    /// <summary>Creates a vocabulary from tokens in id order; blank and word delimiter must be present.</summary>
    public Vocabulary(IEnumerable<string> tokens)
    {
        Tokens = [.. tokens];
        var builder = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Tokens.Length; i++)
            if (!builder.TryAdd(Tokens[i], i))
                throw new ArgumentException($"vocabulary: token '{Tokens[i]}' appears twice (ids {builder[Tokens[i]]} and {i}).");
        ids = builder.ToImmutable();
        if (!ids.ContainsKey(PadToken)) throw new ArgumentException($"vocabulary: the CTC blank '{PadToken}' is missing.");
        if (!ids.ContainsKey(WordDelimiterToken)) throw new ArgumentException($"vocabulary: the word delimiter '{WordDelimiterToken}' is missing.");
    }

    /// <summary>Number of tokens, the width V of the CTC head's output.</summary>
    public int Count => Tokens.Length;

    /// <summary>Id of the CTC blank (<c>&lt;pad&gt;</c>).</summary>
    public int Blank => ids[PadToken];

    /// <summary>Id of the word delimiter <c>|</c>.</summary>
    public int WordDelimiter => ids[WordDelimiterToken];

    /// <summary>Id of <c>&lt;unk&gt;</c>, or null when the vocabulary has none.</summary>
    public int? Unknown => ids.TryGetValue(UnkToken, out var id) ? id : null;

    /// <summary>Id of <paramref name="token"/>, or null when it is not in the vocabulary.</summary>
    public int? IdOf(string token) => ids.TryGetValue(token, out var id) ? id : null;

    /// <summary>
    /// The English letter vocabulary of facebook/wav2vec2-base-960h (32 tokens): the specials, then the
    /// upper-case letters and apostrophe by their frequency in LibriSpeech.
    /// </summary>
    public static Vocabulary English { get; } = new(
        SpecialTokens.Concat("ETAONIHSRDLUMWCFGYPBVK'XJQZ".Select(c => c.ToString())));

    /// <summary>
    /// Builds a vocabulary for any language or script from (already normalised) transcripts: the special
    /// tokens, then every text element seen, most frequent first (ties by ordinal order, so the result is
    /// deterministic). Whitespace and <c>|</c> separate words and are not letters.
    /// </summary>
    public static Vocabulary FromTranscripts(IEnumerable<string> transcripts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var transcript in transcripts)
            foreach (var element in TextElements(transcript))
                if (!string.IsNullOrWhiteSpace(element) && !SpecialTokens.Contains(element))
                    counts[element] = counts.GetValueOrDefault(element) + 1;
        return new(SpecialTokens.Concat(counts
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key)));
    }

    /// <summary>Builds a vocabulary from raw transcripts of one language, normalised by <paramref name="normalizer"/> first.</summary>
    public static Vocabulary FromTranscripts(IEnumerable<string> transcripts, ITranscriptNormalizer normalizer) =>
        FromTranscripts(transcripts.Select(t => normalizer.Normalize(t).Letters));

    /// <summary>Reads a Hugging Face <c>vocab.json</c> (a JSON object token → id, ids 0..V-1 without gaps).</summary>
    public static Vocabulary Load(string path)
    {
        Dictionary<string, int>? map;
        try { map = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"{path}: not a JSON object of token → id ({e.Message})", e); }
        if (map is null || map.Count == 0) throw new FormatException($"{path}: the vocabulary is empty.");
        var tokens = new string?[map.Count];
        foreach (var (token, id) in map)
        {
            if (id < 0 || id >= tokens.Length) throw new FormatException($"{path}: token '{token}' has id {id}, outside 0..{tokens.Length - 1}.");
            if (tokens[id] is { } other) throw new FormatException($"{path}: tokens '{other}' and '{token}' share id {id}.");
            tokens[id] = token;
        }
        try { return new Vocabulary(tokens!); }
        catch (ArgumentException e) { throw new FormatException($"{path}: {e.Message}", e); }
    }

    /// <summary>Writes <c>vocab.json</c> in id order, as Hugging Face does.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        for (int i = 0; i < Tokens.Length; i++) json.WriteNumber(Tokens[i], i);
        json.WriteEndObject();
    }

    /// <summary>
    /// Joins token ids into text the way Hugging Face's CTC tokenizer does after collapsing: each id's string,
    /// <c>|</c> as a space, leading and trailing whitespace stripped, inner spaces kept as they are.
    /// </summary>
    public string ToText(IEnumerable<int> tokenIds)
    {
        var text = new StringBuilder();
        foreach (var id in tokenIds)
            text.Append(id == WordDelimiter ? " " : Tokens[id]);
        return text.ToString().Trim();
    }

    /// <summary>The text elements (grapheme clusters) of <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> TextElements(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text.Normalize(NormalizationForm.FormC));
        while (e.MoveNext()) yield return e.GetTextElement();
    }

    public bool Equals(Vocabulary? other) => other is not null && Tokens.SequenceEqual(other.Tokens);

    public override int GetHashCode() => Tokens.Aggregate(Tokens.Length, (h, t) => HashCode.Combine(h, t));
}
