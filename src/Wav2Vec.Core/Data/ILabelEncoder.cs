namespace Wav2Vec.Data;

/// <summary>
/// Turns an utterance's transcript (its <c>.wrd</c> words, <c>HELLO WORLD</c>) into target token ids. The CTC
/// <see cref="Ctc.Tokenizer"/> implements it, normalising the text first.
/// </summary>
public interface ILabelEncoder
{
    /// <summary>Token ids of <paramref name="transcript"/>; throws naming <paramref name="utteranceId"/> for a letter outside the vocabulary.</summary>
    int[] Encode(string transcript, string utteranceId);

    /// <summary>The id used to pad targets to the longest in a batch (CTC's blank/pad, 0 in wav2vec 2.0 vocabularies).</summary>
    int PadId { get; }
}

