namespace Wav2Vec.Ctc;

/// <summary>How <see cref="CtcRecognizer"/> turns log-probabilities into text.</summary>
/// <param name="BeamWidth">1 without an LM is greedy (best-path) decoding; otherwise CTC prefix beam search.</param>
/// <param name="LanguageModel">Optional word n-gram LM for the beam search.</param>
/// <param name="Alpha">LM weight α.</param>
/// <param name="Beta">Word-insertion bonus β.</param>
public sealed record DecodingOptions(int BeamWidth = 1, ArpaLanguageModel? LanguageModel = null, double Alpha = 0.5, double Beta = 1.0)
{
    /// <summary>Best-path decoding, the fastest; what the paper calls "no LM" when the beam is 1.</summary>
    public static DecodingOptions Greedy { get; } = new();

    /// <summary>Whether this is greedy decoding.</summary>
    public bool IsGreedy => BeamWidth <= 1 && LanguageModel is null;

    /// <summary>The beam-search options these stand for.</summary>
    public BeamSearchOptions ToBeamSearch() => new(Math.Max(1, BeamWidth), LanguageModel, Alpha, Beta);
}

/// <summary>A transcription: text, words and characters with times and scores, and the frame count it was decoded from.</summary>
/// <param name="Text">Words separated by single spaces (normalised letters, e.g. upper-case English).</param>
/// <param name="Words">Each word's frames, seconds and mean per-frame probability, from the decoded path or a forced alignment.</param>
/// <param name="Characters">Each letter's times and mean per-frame probability (20 ms frames).</param>
/// <param name="Frames">Number of encoder frames T.</param>
/// <param name="Score">Decoder score: the best path's log-probability (greedy) or the beam score (acoustic + α·LM + β·words).</param>
public sealed record Transcription(string Text, IReadOnlyList<WordSpan> Words, IReadOnlyList<CharacterSpan> Characters, int Frames, double Score);
