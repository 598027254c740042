namespace Wav2Vec.Corpus;

/// <summary>A TTS voice: engine plus the engine's voice name, e.g. <c>espeak-ng/en-gb-scotland+f2</c>.</summary>
public sealed record Voice(string Engine, string Name)
{
    /// <summary>The id used in manifests and split planning.</summary>
    public string Id => $"{Engine}/{Name}";

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>One sentence as one voice should read it.</summary>
/// <param name="Voice">Who reads.</param>
/// <param name="Text">What is read (already known to normalise cleanly).</param>
/// <param name="Speed">Speaking-rate factor, 1 = the voice's default.</param>
/// <param name="Pitch">Pitch factor, 1 = the voice's default (engines that cannot shift pitch ignore it).</param>
public sealed record Rendition(Voice Voice, string Text, double Speed, double Pitch);
