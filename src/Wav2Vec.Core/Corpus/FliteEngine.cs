using System.Globalization;

namespace Wav2Vec.Corpus;

/// <summary>flite's built-in voices kal16, slt, rms and awb, with duration and mean-F0 jitter.</summary>
public sealed class FliteEngine : ITtsEngine
{
    /// <summary>Voice name and its approximate default mean F0 in Hz (the base the pitch factor scales).</summary>
    static readonly (string Name, double MeanF0)[] Builtin = [("kal16", 105), ("slt", 160), ("rms", 100), ("awb", 110)];

    /// <inheritdoc/>
    public string Name => "flite";

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["flite"];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> InstalledVoices() =>
        ExternalProcess.Which("flite") is null ? [] : [.. Builtin.Select(v => new Voice(Name, v.Name))];

    /// <summary>None: the default corpus uses all four built-in voices.</summary>
    public IReadOnlyList<Voice> PoolVoices() => [];

    /// <inheritdoc/>
    public void Synthesize(Rendition r, string wavPath)
    {
        var f0 = Builtin.First(v => v.Name == r.Voice.Name).MeanF0 * r.Pitch;
        ExternalProcess.Run("flite", [
            "-voice", r.Voice.Name,
            "--setf", $"duration_stretch={(1 / r.Speed).ToString("0.000", CultureInfo.InvariantCulture)}",
            "--setf", $"int_f0_target_mean={f0.ToString("0.0", CultureInfo.InvariantCulture)}",
            "-t", r.Text, "-o", wavPath]);
    }

    /// <summary>Nothing to end: every rendition is its own process.</summary>
    public void Dispose() { }
}
