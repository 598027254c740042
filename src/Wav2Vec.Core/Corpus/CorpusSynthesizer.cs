using System.Diagnostics;
using System.Globalization;
using System.Text;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Text;

namespace Wav2Vec.Corpus;

/// <summary>
/// Synthesises the default labelled English corpus with Debian's TTS engines and writes fairseq manifests:
/// <c>train</c> (unlabelled pool), nested <c>train-10min ⊂ train-1h ⊂ train-10h</c>, and <c>dev</c>/<c>test</c> read by
/// held-out voices (plus <c>dev-N</c>, the first <see cref="CorpusOptions.DevSubset"/> dev utterances, on larger corpora);
/// with <see cref="CorpusOptions.PoolVoices"/>, only an unlabelled <c>train</c> pool read by the voices the default corpus
/// leaves out. Audio is 16 kHz mono 16-bit WAV under <c>OUT/wav/SPLIT/NNNNNN.wav</c>.
/// </summary>
public static class CorpusSynthesizer
{
    /// <summary>
    /// Runs the whole synthesis. Each split is the shortest prefix of its deterministic job sequence that reaches its
    /// duration, synthesised in parallel waves, so the same seed gives the same utterances and byte-identical manifests.
    /// </summary>
    /// <param name="options">What to synthesise.</param>
    /// <param name="progress">Receives progress after every utterance (from worker threads).</param>
    /// <param name="say">Receives messages for the user (installs, capped budgets); null to ignore.</param>
    /// <param name="cancel">Stops between utterances.</param>
    public static CorpusReport Synthesize(CorpusOptions options, IProgress<SynthProgress>? progress = null, Action<string>? say = null,
        CancellationToken cancel = default)
    {
        say ??= _ => { };
        var clock = Stopwatch.StartNew();
        CorpusPrerequisites.Ensure(say);
        if (options.PoolVoices) CorpusPrerequisites.EnsurePoolVoices(say);
        var engineList = CorpusPrerequisites.CreateEngines();
        var engines = engineList.ToDictionary(e => e.Name);
        var sentences = SynthesisPlan.ShareSentences(SentenceSources.Load(SentenceSources.All), options.Seed);
        var trainSeconds = options.Hours * 3600;
        Dictionary<string, double> targets;
        Dictionary<string, IReadOnlyList<string>> splitVoices;
        Dictionary<string, Voice> voices;
        if (options.PoolVoices)
        {
            voices = engineList.SelectMany(e => e.PoolVoices()).ToDictionary(v => v.Id);
            targets = new() { ["train"] = trainSeconds };
            splitVoices = new() { ["train"] = [.. voices.Keys] };
        }
        else
        {
            voices = engineList.SelectMany(e => e.InstalledVoices()).ToDictionary(v => v.Id);
            var partition = SplitPlanner.PartitionVoices(voices.Keys, options.Seed);
            targets = new()
            {
                ["train"] = trainSeconds, ["dev"] = SynthesisPlan.HeldOutSeconds(trainSeconds), ["test"] = SynthesisPlan.HeldOutSeconds(trainSeconds),
            };
            splitVoices = new() { ["train"] = partition.Train, ["dev"] = partition.Dev, ["test"] = partition.Test };
        }

        var outDir = Path.GetFullPath(options.OutDir);
        var wavRoot = Path.Combine(outDir, "wav");
        if (Directory.Exists(wavRoot)) Directory.Delete(wavRoot, recursive: true);
        var counter = new SynthesisCounter(targets.Values.Sum(), progress);
        var written = new Dictionary<string, IReadOnlyList<SynthesisedUtterance>>();
        try
        {
            foreach (var split in SynthesisPlan.SynthesisedSplits.Where(targets.ContainsKey))
            {
                var jobVoices = splitVoices[split].Select(id => voices[id]).ToArray();
                Rendition Job(int i) => SynthesisPlan.Job(split, i, jobVoices, sentences[split], options);
                written[split] = SynthesiseSplit(split, targets[split], Job, engines, wavRoot, options.Threads ?? Environment.ProcessorCount, counter, cancel);
            }
        }
        finally
        {
            foreach (var engine in engineList) engine.Dispose();
        }

        var notes = new List<string>();
        var summaries = options.PoolVoices ? WritePool(outDir, wavRoot, written) : WriteManifests(outDir, wavRoot, written, options.Seed, options.DevSubset, notes);
        var extra = CorpusPrerequisites.Missing();
        if (extra.Count > 0) notes.Add($"not installed, so not used: {string.Join(' ', extra)}");
        foreach (var note in notes) say(note);
        return new CorpusReport(outDir, summaries, notes, clock.Elapsed, counter.Seconds);
    }

    static IReadOnlyList<SynthesisedUtterance> SynthesiseSplit(string split, double target, Func<int, Rendition> job,
        IReadOnlyDictionary<string, ITtsEngine> engines, string wavRoot, int threads, SynthesisCounter counter, CancellationToken cancel)
    {
        var folder = Directory.CreateDirectory(Path.Combine(wavRoot, split)).FullName;
        var kept = new List<SynthesisedUtterance>();
        var total = 0.0;
        var next = 0;
        while (total < target)
        {
            // A wave is what is still missing at ~4 s per utterance, at least two jobs per thread.
            var wave = Math.Max(2 * threads, (int)Math.Ceiling((target - total) / 4.0));
            var results = new SynthesisedUtterance[wave];
            Parallel.For(0, wave, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, k =>
            {
                results[k] = SynthesiseOne(split, next + k, job(next + k), engines, folder);
                counter.Add(split, results[k].Samples / (double)Manifest.SampleRate);
            });
            foreach (var u in results)
            {
                if (total < target)
                {
                    kept.Add(u);
                    total += u.Samples / (double)Manifest.SampleRate;
                }
                else File.Delete(Path.Combine(wavRoot, u.Path));
            }
            next += wave;
        }
        return kept;
    }

    static SynthesisedUtterance SynthesiseOne(string split, int index, Rendition rendition, IReadOnlyDictionary<string, ITtsEngine> engines, string folder)
    {
        var name = index.ToString("D6", CultureInfo.InvariantCulture);
        var raw = Path.Combine(folder, name + ".engine.wav");
        var final = Path.Combine(folder, name + ".wav");
        try
        {
            engines[rendition.Voice.Engine].Synthesize(rendition, raw);
            var samples = AudioDecoder.Decode(raw, new DecodeOptions(MaxSeconds: null));
            WavWriter.WriteMono16(final, samples);
            return new SynthesisedUtterance($"{split}/{name}.wav", samples.Length, rendition);
        }
        catch (Exception e) when (e is InvalidOperationException or AudioDecodeException)
        {
            throw new InvalidOperationException($"{split}/{name}: {rendition.Voice} failed to read \"{rendition.Text}\": {e.Message}", e);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary>Writes one split's manifest (with <c>.ltr</c>/<c>.wrd</c> when labelled), its utterances in path order.</summary>
    static SplitSummary WriteSplit(string outDir, string wavRoot, string name, IEnumerable<SynthesisedUtterance> utterances, bool labelled)
    {
        static ManifestEntry Entry(SynthesisedUtterance u, bool labelled)
        {
            if (!labelled) return new ManifestEntry(u.Path, u.Samples);
            var t = TranscriptNormalizer.English.Normalize(u.Rendition.Text);
            return new ManifestEntry(u.Path, u.Samples, t.Letters, t.ToWrd());
        }
        var list = utterances.OrderBy(u => u.Path, StringComparer.Ordinal).ToArray();
        var manifest = new Manifest(wavRoot, [.. list.Select(u => Entry(u, labelled))]);
        ManifestFiles.Write(outDir, name, manifest);
        return new SplitSummary(name, list.Length, manifest.TotalSeconds, list.Select(u => u.Rendition.Voice).Distinct().Count(), labelled);
    }

    static List<SplitSummary> WriteManifests(string outDir, string wavRoot,
        IReadOnlyDictionary<string, IReadOnlyList<SynthesisedUtterance>> written, long seed, int devSubset, List<string> notes)
    {
        var summaries = new List<SplitSummary>();
        void Write(string name, IEnumerable<SynthesisedUtterance> utterances, bool labelled) =>
            summaries.Add(WriteSplit(outDir, wavRoot, name, utterances, labelled));

        var train = written["train"];
        Write("train", train, labelled: false);
        var byId = train.ToDictionary(u => u.Path);
        var pool = train.Select(u => new PooledUtterance(u.Path, u.Rendition.Voice.Id, u.Samples / (double)Manifest.SampleRate)).ToArray();
        foreach (var subset in SplitPlanner.PlanLabelledSubsets(pool, Budget.LibriLight, seed))
        {
            Write(subset.Name, subset.Ids.Select(id => byId[id]), labelled: true);
            if (subset.Capped)
                notes.Add($"{subset.Name}: the training pool holds only {Hours(subset.TargetSeconds)}, so this budget of {Hours(subset.NominalSeconds)} " +
                          $"is capped to the whole pool (use --hours {Math.Ceiling(subset.NominalSeconds / 3600 / (1 - SplitPlanner.Tolerance) * 100) / 100} or more for the full budget)");
        }
        Write("dev", written["dev"], labelled: true);
        if (devSubset > 0 && written["dev"].Count > devSubset)
            Write($"dev-{devSubset}", written["dev"].OrderBy(u => u.Path, StringComparer.Ordinal).Take(devSubset), labelled: true);
        Write("test", written["test"], labelled: true);
        WriteVoiceTable(outDir, written);
        return summaries;
    }

    static List<SplitSummary> WritePool(string outDir, string wavRoot, IReadOnlyDictionary<string, IReadOnlyList<SynthesisedUtterance>> written)
    {
        var train = WriteSplit(outDir, wavRoot, "train", written["train"], labelled: false);
        WriteVoiceTable(outDir, written);
        return [train];
    }

    static void WriteVoiceTable(string outDir, IReadOnlyDictionary<string, IReadOnlyList<SynthesisedUtterance>> written)
    {
        var table = new StringBuilder("path\tvoice\tspeed\tpitch\ttext\n");
        foreach (var u in written.Values.SelectMany(x => x).OrderBy(u => u.Path, StringComparer.Ordinal))
            table.Append(CultureInfo.InvariantCulture, $"{u.Path}\t{u.Rendition.Voice}\t{u.Rendition.Speed:0.000}\t{u.Rendition.Pitch:0.000}\t{u.Rendition.Text}\n");
        File.WriteAllText(Path.Combine(outDir, ManifestPooling.VoiceTable), table.ToString(), new UTF8Encoding(false));
    }

    static string Hours(double seconds) =>
        seconds >= 3600 ? $"{seconds / 3600:0.##} h" : $"{seconds / 60:0.#} min";

    sealed record SynthesisedUtterance(string Path, long Samples, Rendition Rendition);

    sealed class SynthesisCounter(double target, IProgress<SynthProgress>? progress)
    {
        long microseconds;
        int count;

        public double Seconds => Interlocked.Read(ref microseconds) / 1e6;

        public void Add(string split, double seconds)
        {
            var done = Interlocked.Add(ref microseconds, (long)(seconds * 1e6)) / 1e6;
            progress?.Report(new SynthProgress(split, done, target, Interlocked.Increment(ref count)));
        }
    }
}
