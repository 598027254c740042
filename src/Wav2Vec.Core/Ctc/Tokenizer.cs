using Wav2Vec.Data;
using Wav2Vec.Text;

namespace Wav2Vec.Ctc;

/// <summary>What <see cref="Tokenizer.Encode"/> does with characters it cannot turn into tokens.</summary>
public enum UnknownCharacters
{
    /// <summary>Throw an error naming the utterance and the characters (the default: silent loss of labels hides bugs).</summary>
    Error,
    /// <summary>
    /// A letter the vocabulary lacks becomes <c>&lt;unk&gt;</c> (the vocabulary must have one); characters the
    /// normaliser cannot map at all (digits, symbols) are left out, as the normaliser leaves them out.
    /// </summary>
    MapToUnknown,
}

/// <summary>
/// Transcript text ↔ CTC target ids. Text is first normalised by the audio area's
/// <see cref="ITranscriptNormalizer"/> (so training targets, LM text and scoring share one definition), then
/// its words are spelt with the <c>|</c> delimiter between them and none at either end, as the Hugging Face
/// tokenizer does.
/// </summary>
/// <param name="Vocabulary">The letter vocabulary.</param>
/// <param name="Normalizer">Transcript normalisation of the corpus language (e.g. <see cref="TranscriptNormalizer.English"/>).</param>
/// <param name="Unknown">Policy for characters the vocabulary or the normaliser cannot handle.</param>
public sealed record Tokenizer(Vocabulary Vocabulary, ITranscriptNormalizer Normalizer, UnknownCharacters Unknown = UnknownCharacters.Error) : ILabelEncoder
{
    /// <summary>Encodes a transcript into token ids (no blanks). <paramref name="utterance"/> names the utterance in errors.</summary>
    public int[] Encode(string text, string utterance = "<text>")
    {
        var normalized = Normalizer.Normalize(text);
        if (!normalized.IsClean && Unknown == UnknownCharacters.Error)
            throw new FormatException($"utterance {utterance}: {normalized.DescribeUnmapped()} cannot be written in {Normalizer.Language} letters; " +
                                      "spell them out in the transcript or map unknown characters to <unk>.");
        return EncodeWords(normalized.Words, utterance);
    }

    int[] ILabelEncoder.Encode(string transcript, string utteranceId) => Encode(transcript, utteranceId);

    /// <summary>The CTC blank, used to pad targets.</summary>
    public int PadId => Vocabulary.Blank;

    int[] EncodeWords(IEnumerable<string> words, string utterance)
    {
        var ids = new List<int>();
        foreach (var word in words)
        {
            if (ids.Count > 0) ids.Add(Vocabulary.WordDelimiter);
            foreach (var element in Vocabulary.TextElements(word))
                ids.Add(Vocabulary.IdOf(element) ?? UnknownId(element, utterance));
        }
        return [.. ids];
    }

    /// <summary>Decodes target ids (already collapsed; blanks are skipped) back to text.</summary>
    public string Decode(IEnumerable<int> ids) => Vocabulary.ToText(ids.Where(id => id != Vocabulary.Blank));

    /// <summary>The normalised words of <paramref name="text"/> separated by single spaces: the form references and LM text are scored in.</summary>
    public string NormalizeText(string text) => Normalizer.Normalize(text).ToWrd();

    int UnknownId(string element, string utterance)
    {
        var codes = string.Join(" ", element.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
        if (Unknown == UnknownCharacters.Error)
            throw new FormatException($"utterance {utterance}: letter '{element}' ({codes}) is not in the vocabulary; " +
                                      "rebuild the vocabulary from the transcripts or map unknown characters to <unk>.");
        return Vocabulary.Unknown ?? throw new FormatException(
            $"utterance {utterance}: letter '{element}' ({codes}) is not in the vocabulary and the vocabulary has no <unk>.");
    }
}
