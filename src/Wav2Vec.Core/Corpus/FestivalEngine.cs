using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Wav2Vec.Corpus;

/// <summary>
/// Festival with the kal_diphone and cmu_us_slt_arctic_hts voices where installed (and, for unlabelled pools only,
/// ked_diphone from <c>festvox-kdlpc16k</c>). Festival takes longer to start
/// than to read a sentence, so each worker keeps a <c>festival --pipe</c> session per voice and feeds it Scheme
/// commands. Only the speaking rate is jittered (festival has no simple global pitch control).
/// </summary>
public sealed class FestivalEngine : ITtsEngine
{
    static readonly (string Voice, string Folder, string Package)[] Known =
        [("kal_diphone", "english/kal_diphone", "festvox-kallpc16k"), ("cmu_us_slt_arctic_hts", "us/cmu_us_slt_arctic_hts", "festvox-us-slt-hts")];

    static readonly (string Voice, string Folder, string Package)[] PoolOnly = [("ked_diphone", "english/ked_diphone", "festvox-kdlpc16k")];

    /// <summary>Debian packages of the voices only unlabelled pools use.</summary>
    public static IReadOnlyList<string> PoolPackages => [.. PoolOnly.Select(k => k.Package)];

    const string VoiceRoot = "/usr/share/festival/voices";
    const string Done = "WAV2VEC-DONE";

    readonly ConcurrentDictionary<string, ConcurrentBag<Process>> idle = new();
    readonly ConcurrentBag<Process> all = [];

    /// <inheritdoc/>
    public string Name => "festival";

    /// <inheritdoc/>
    public IReadOnlyList<string> Packages => ["festival", .. Known.Select(k => k.Package)];

    /// <inheritdoc/>
    public IReadOnlyList<Voice> InstalledVoices() => Present(Known);

    /// <inheritdoc/>
    public IReadOnlyList<Voice> PoolVoices() => Present(PoolOnly);

    IReadOnlyList<Voice> Present(IEnumerable<(string Voice, string Folder, string Package)> known) =>
        ExternalProcess.Which("festival") is null ? [] :
        [.. known.Where(k => Directory.Exists(Path.Combine(VoiceRoot, k.Folder))).Select(k => new Voice(Name, k.Voice))];

    /// <inheritdoc/>
    public void Synthesize(Rendition r, string wavPath)
    {
        var sessions = idle.GetOrAdd(r.Voice.Name, _ => []);
        var session = sessions.TryTake(out var s) ? s : Start(r.Voice.Name);
        var stretch = (1 / r.Speed).ToString("0.000", CultureInfo.InvariantCulture);
        session.StandardInput.Write(
            $"(Parameter.set 'Duration_Stretch {stretch})\n(utt.save.wave (SynthText \"{Escape(r.Text)}\") \"{Escape(wavPath)}\" 'riff)\n(format stderr \"{Done}\\n\")\n");
        session.StandardInput.Flush();
        // The marker goes to stderr because festival block-buffers stdout into a pipe.
        var errors = new List<string>();
        string? line;
        while ((line = session.StandardError.ReadLine()) is not null && line != Done) errors.Add(line);
        if (line is null || !File.Exists(wavPath))
            throw new InvalidOperationException($"festival ({r.Voice.Name}) wrote no audio{(line is null ? " and exited" : "")}: {string.Join(' ', errors)}");
        sessions.Add(session);
    }

    Process Start(string voice)
    {
        var info = new ProcessStartInfo("festival", "--pipe")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("festival: could not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        all.Add(process);
        process.StandardInput.Write($"(voice_{voice})\n");
        return process;
    }

    static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>Ends every festival session.</summary>
    public void Dispose()
    {
        foreach (var p in all)
        {
            try
            {
                p.StandardInput.Close();
                if (!p.WaitForExit(2000)) p.Kill();
            }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        all.Clear();
    }
}
