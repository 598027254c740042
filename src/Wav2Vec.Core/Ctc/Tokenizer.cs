namespace Wav2Vec.Ctc;

/// <summary>What <see cref="Tokenizer.Encode"/> does with a character the vocabulary lacks.</summary>
public enum UnknownCharacters
{
    /// <summary>Throw an error naming the utterance and the character (the default: silent loss of labels hides bugs).</summary>
    Error,
    /// <summary>Map it to <c>&lt;unk&gt;</c> (the vocabulary must have one).</summary>
    MapToUnknown,
}

/// <summary>
/// Transcript text ↔ CTC target ids. Text is first normalised (the audio area's transcript normalisation,
/// passed in so every caller shares one definition), then words are joined by the <c>|</c> delimiter with
/// none at either end, as the Hugging Face tokenizer does.
/// </summary>
/// <param name="Vocabulary">The letter vocabulary.</param>
/// <param name="Normalise">Transcript normalisation applied before lookup (e.g. upper-casing, punctuation removal).</param>
/// <param name="Unknown">Policy for characters not in the vocabulary.</param>
public sealed record Tokenizer(Vocabulary Vocabulary, Func<string, string> Normalise, UnknownCharacters Unknown = UnknownCharacters.Error)
{
    /// <summary>Encodes a transcript into token ids (no blanks). <paramref name="utterance"/> names the utterance in errors.</summary>
    public int[] Encode(string text, string utterance = "<text>")
    {
        var ids = new List<int>();
        foreach (var word in Normalise(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (ids.Count > 0) ids.Add(Vocabulary.WordDelimiter);
            foreach (var element in Vocabulary.TextElements(word))
                ids.Add(Vocabulary.IdOf(element) ?? UnknownId(element, utterance));
        }
        return [.. ids];
    }

    /// <summary>Decodes target ids (already collapsed, no blanks expected) back to text.</summary>
    public string Decode(IEnumerable<int> ids) => Vocabulary.ToText(ids.Where(id => id != Vocabulary.Blank));

    int UnknownId(string element, string utterance)
    {
        var codes = string.Join(" ", element.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
        if (Unknown == UnknownCharacters.Error)
            throw new FormatException($"utterance {utterance}: character '{element}' ({codes}) is not in the vocabulary; " +
                                      "rebuild the vocabulary from the transcripts or map unknown characters to <unk>.");
        return Vocabulary.Unknown ?? throw new FormatException(
            $"utterance {utterance}: character '{element}' ({codes}) is not in the vocabulary and the vocabulary has no <unk>.");
    }
}
