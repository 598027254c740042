using System.Globalization;

namespace Wav2Vec.Corpus;

/// <summary>
/// Festival's <c>text2wave</c> with the kal_diphone and cmu_us_slt_arctic_hts voices where installed.
/// Only the speaking rate is jittered (festival has no simple global pitch control).
/// </summary>
public sealed class FestivalEngine : ITtsEngine
{
    static readonly (string Voice, string Folder, string Package)[] Known =
        [("kal_diphone", "english/kal_diphone", "festvox-kallpc16k"), ("cmu_us_slt_arctic_hts", "us/cmu_us_slt_arctic_hts", "festvox-us-slt-hts")];

    const string VoiceRoot = "/usr/share/festival/voices";

    /// <inheritdoc/>
    public string Name => "festival";

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["festival", .. Known.Select(k => k.Package)];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> InstalledVoices() =>
        ExternalProcess.Which("text2wave") is null ? [] :
        [.. Known.Where(k => Directory.Exists(Path.Combine(VoiceRoot, k.Folder))).Select(k => new Voice(Name, k.Voice))];

    /// <inheritdoc/>
    public void Synthesize(Rendition r, string wavPath)
    {
        var textPath = Path.ChangeExtension(wavPath, ".txt");
        File.WriteAllText(textPath, r.Text);
        try
        {
            ExternalProcess.Run("text2wave", [
                "-eval", $"(voice_{r.Voice.Name})",
                "-eval", $"(Parameter.set 'Duration_Stretch {(1 / r.Speed).ToString("0.000", CultureInfo.InvariantCulture)})",
                "-o", wavPath, textPath]);
        }
        finally
        {
            File.Delete(textPath);
        }
    }
}
