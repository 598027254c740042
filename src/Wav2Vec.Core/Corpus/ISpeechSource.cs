namespace Wav2Vec.Corpus;

/// <summary>Recorded speech with transcripts from installed Debian packages, read by <see cref="SpeechImporter"/>.</summary>
public interface ISpeechSource
{
    /// <summary>Name for messages and reports, e.g. <c>asterisk-es</c>.</summary>
    string Name { get; }

    /// <summary>Language tag of the transcripts (selects the <see cref="Text.TranscriptNormalizer"/>).</summary>
    string Language { get; }

    /// <summary>True for an independent check set: every utterance goes to <c>test</c>, nothing to train or dev.</summary>
    bool EvaluationOnly { get; }

    /// <summary>The Debian packages whose files it reads.</summary>
    IReadOnlyList<string> Packages { get; }

    /// <summary>True when the files it needs are under <paramref name="root"/> (<c>/</c> for the installed system).</summary>
    bool IsInstalled(string root);

    /// <summary>Pairs audio with transcripts under <paramref name="root"/>; nothing is decoded yet.</summary>
    /// <exception cref="FormatException">A transcript file cannot be parsed; the message names file and line.</exception>
    SourceScan Scan(string root);
}
