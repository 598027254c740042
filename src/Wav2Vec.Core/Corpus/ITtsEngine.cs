namespace Wav2Vec.Corpus;

/// <summary>A text-to-speech engine driven through its command-line program; disposing ends any sessions it keeps.</summary>
public interface ITtsEngine : IDisposable
{
    /// <summary>Engine name used in voice ids.</summary>
    string Name { get; }

    /// <summary>Debian packages that provide the engine and its voices.</summary>
    IReadOnlyList<string> Packages { get; }

    /// <summary>The voices usable on this machine (empty when the engine is not installed).</summary>
    IReadOnlyList<Voice> InstalledVoices();

    /// <summary>
    /// Installed voices the default corpus never uses, for an unlabelled pool read by voices beyond the labelled ones
    /// (<see cref="CorpusOptions.PoolVoices"/>); empty when the engine has none. Disjoint from <see cref="InstalledVoices"/>,
    /// so adding them cannot move a voice of the default corpus between splits.
    /// </summary>
    IReadOnlyList<Voice> PoolVoices();

    /// <summary>Writes the rendition as a WAV file (any rate; the synthesiser resamples).</summary>
    /// <exception cref="InvalidOperationException">The engine failed; the message names voice, exit code and stderr.</exception>
    void Synthesize(Rendition rendition, string wavPath);
}
