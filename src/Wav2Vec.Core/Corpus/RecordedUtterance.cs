namespace Wav2Vec.Corpus;

/// <summary>An utterance of a recorded source before normalisation.</summary>
/// <param name="Id">Source-relative id, used as the output path (<c>digits/5</c>, <c>city/vit-hs-klid1</c>).</param>
/// <param name="AudioPath">The audio file in the installed package.</param>
/// <param name="Speaker">Who speaks (a recorded voice, or a game character when the actors are not named).</param>
/// <param name="Text">The transcript after the source's own clean-up (annotations, stress marks, numbers).</param>
public sealed record RecordedUtterance(string Id, string AudioPath, string Speaker, string Text)
{
    /// <summary>The member of the zip archive at <see cref="AudioPath"/> that holds the audio, or null when the file is the audio.</summary>
    public string? ArchiveEntry { get; init; }

    /// <summary>
    /// The part of the source it belongs to: a source of a <see cref="CombinedSources"/>, or a kind of item within one
    /// (KLettres's letters and syllables). Speaking rates are compared within a part, since a spelled letter and a read
    /// sentence have nothing in common. Empty for a source of one kind.
    /// </summary>
    public string Part { get; init; } = "";
}

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
    /// <summary>The transcript goes on over the next files, which have none of their own: this file says only its start.</summary>
    TranscriptSpansFiles,
    /// <summary>The source names the sound by a key that is not a word (<c>palmtree</c>, <c>ch</c>), so what is said is not known letter by letter.</summary>
    NotAWord,
}

/// <summary>An item left out, with why; the import writes them all to <c>excluded.tsv</c>.</summary>
public sealed record ExcludedItem(string Id, ExclusionReason Reason, string Detail);

/// <summary>What a source holds: usable utterances, what was left out, and remarks for the user.</summary>
public sealed record SourceScan(IReadOnlyList<RecordedUtterance> Utterances, IReadOnlyList<ExcludedItem> Excluded, IReadOnlyList<string> Notes);
