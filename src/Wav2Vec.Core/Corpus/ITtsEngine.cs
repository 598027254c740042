namespace Wav2Vec.Corpus;

/// <summary>A text-to-speech engine driven through its command-line program.</summary>
public interface ITtsEngine
{
    /// <summary>Engine name used in voice ids.</summary>
    string Name { get; }

    /// <summary>Debian packages that provide the engine and its voices.</summary>
    IReadOnlyList<string> Packages { get; }

    /// <summary>The voices usable on this machine (empty when the engine is not installed).</summary>
    IReadOnlyList<Voice> InstalledVoices();

    /// <summary>Writes the rendition as a WAV file (any rate; the synthesiser resamples).</summary>
    /// <exception cref="InvalidOperationException">The engine failed; the message names voice, exit code and stderr.</exception>
    void Synthesize(Rendition rendition, string wavPath);
}
