using System.Globalization;

namespace Wav2Vec.Corpus;

/// <summary>espeak-ng: eight English accents × four voice variants (male and female), rate and pitch jitter.</summary>
public sealed class EspeakEngine : ITtsEngine
{
    static readonly string[] Accents = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];
    static readonly string[] Variants = ["m1", "m3", "f2", "f4"];

    /// <inheritdoc/>
    public string Name => "espeak-ng";

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["espeak-ng"];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> InstalledVoices() =>
        ExternalProcess.Which("espeak-ng") is null ? [] : [.. Accents.SelectMany(a => Variants.Select(v => new Voice(Name, $"{a}+{v}")))];

    /// <inheritdoc/>
    public void Synthesize(Rendition r, string wavPath) =>
        ExternalProcess.Run("espeak-ng", [
            "-v", r.Voice.Name,
            "-s", ((int)Math.Round(175 * r.Speed)).ToString(CultureInfo.InvariantCulture),
            "-p", ((int)Math.Clamp(Math.Round(50 * r.Pitch), 0, 99)).ToString(CultureInfo.InvariantCulture),
            "-w", wavPath, "--stdin"], r.Text);
}
