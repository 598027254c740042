using System.Globalization;

namespace Wav2Vec.Corpus;

/// <summary>
/// espeak-ng: eight English accents × four voice variants (male and female), rate and pitch jitter; for unlabelled
/// pools, the same accents × sixteen further variants (more male and female formant settings, two Klatt-synthesiser
/// variants, six named ones).
/// </summary>
public sealed class EspeakEngine : ITtsEngine
{
    static readonly string[] Accents = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];
    static readonly string[] Variants = ["m1", "m3", "f2", "f4"];
    static readonly string[] PoolVariants = ["m2", "m4", "m5", "m6", "m7", "f1", "f3", "f5", "klatt", "klatt3", "Andy", "Annie", "edward", "linda", "steph", "travis"];

    /// <inheritdoc/>
    public string Name => "espeak-ng";

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["espeak-ng"];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> InstalledVoices() =>
        ExternalProcess.Which("espeak-ng") is null ? [] : [.. Accents.SelectMany(a => Variants.Select(v => new Voice(Name, $"{a}+{v}")))];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> PoolVoices() =>
        ExternalProcess.Which("espeak-ng") is null ? [] : [.. Accents.SelectMany(a => PoolVariants.Select(v => new Voice(Name, $"{a}+{v}")))];

    /// <inheritdoc/>
    public void Synthesize(Rendition r, string wavPath) =>
        ExternalProcess.Run("espeak-ng", [
            "-v", r.Voice.Name,
            "-s", ((int)Math.Round(175 * r.Speed)).ToString(CultureInfo.InvariantCulture),
            "-p", ((int)Math.Clamp(Math.Round(50 * r.Pitch), 0, 99)).ToString(CultureInfo.InvariantCulture),
            "-w", wavPath, "--stdin"], r.Text);

    /// <summary>Nothing to end: every rendition is its own process.</summary>
    public void Dispose() { }
}
