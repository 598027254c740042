namespace Wav2Vec.Corpus;

/// <summary>An utterance of a recorded source before normalisation.</summary>
/// <param name="Id">Source-relative id, used as the output path (<c>digits/5</c>, <c>city/vit-hs-klid1</c>).</param>
/// <param name="AudioPath">The audio file in the installed package.</param>
/// <param name="Speaker">Who speaks (a recorded voice, or a game character when the actors are not named).</param>
/// <param name="Text">The transcript after the source's own clean-up (annotations, stress marks, numbers).</param>
public sealed record RecordedUtterance(string Id, string AudioPath, string Speaker, string Text);

/// <summary>Why an item of a source is left out of the corpus.</summary>
public enum ExclusionReason
{
    /// <summary>Audio without a transcript.</summary>
    NoTranscript,
    /// <summary>A transcript without audio.</summary>
    NoAudio,
    /// <summary>The transcript says the audio is not speech (a tone, silence).</summary>
    NotSpeech,
    /// <summary>The transcript holds a bracketed remark that may or may not be spoken.</summary>
    UncertainAnnotation,
    /// <summary>The transcript holds a number the source gives no spelling for.</summary>
    NumberNotSpelled,
    /// <summary>The transcript holds characters outside the language's letters (digits, symbols, another script).</summary>
    OtherCharacters,
    /// <summary>The transcript holds no words.</summary>
    EmptyTranscript,
    /// <summary>The transcript has far more letters per second than the source's speech: it cannot be what is said.</summary>
    TooFast,
    /// <summary>The id has two different transcripts, so neither is known to be right.</summary>
    ConflictingTranscripts,
    /// <summary>The audio cannot be decoded.</summary>
    BadAudio,
}

/// <summary>An item left out, with why; the import writes them all to <c>excluded.tsv</c>.</summary>
public sealed record ExcludedItem(string Id, ExclusionReason Reason, string Detail);

/// <summary>What a source holds: usable utterances, what was left out, and remarks for the user.</summary>
public sealed record SourceScan(IReadOnlyList<RecordedUtterance> Utterances, IReadOnlyList<ExcludedItem> Excluded, IReadOnlyList<string> Notes);
