namespace Wav2Vec.Text;

/// <summary>Maps raw transcript text of one language to CTC letters.</summary>
public interface ITranscriptNormalizer
{
    /// <summary>The language code this normaliser was made for (e.g. <c>en</c>, <c>cy</c>, <c>ru</c>).</summary>
    string Language { get; }

    /// <summary>
    /// The closed alphabet the output may contain (without the <c>|</c> delimiter), or null when the
    /// alphabet is open: every letter of the script that appears in the data.
    /// </summary>
    IReadOnlyList<char>? Alphabet { get; }

    /// <summary>True when <paramref name="c"/> may appear in <see cref="NormalizedTranscript.Letters"/> as a letter.</summary>
    bool IsLetter(char c);

    /// <summary>Normalises one utterance's transcript. Never throws; unmappable characters are returned, not dropped.</summary>
    NormalizedTranscript Normalize(string text);
}
