using System.Globalization;
using System.Text;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Text;

namespace Wav2Vec.Corpus;

/// <summary>
/// Turns a recorded source into fairseq manifests like the synthesised corpus: 16 kHz mono WAV under <c>OUT/wav/</c>,
/// transcript-disjoint <c>train</c>/<c>dev</c>/<c>test</c> (<see cref="HeldOutPlanner"/>), nested budgets
/// <c>train-10min ⊂ train-1h ⊂ train</c> where the training split holds them (<see cref="SplitPlanner"/>, one pool), a
/// <c>vocab.json</c> from the training transcripts, and <c>utterances.tsv</c> / <c>excluded.tsv</c> to audit every choice.
/// An evaluation-only source writes <c>test</c> alone.
/// </summary>
public static class SpeechImporter
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads, screens, decodes and writes <paramref name="source"/>. The same seed gives byte-identical manifests.</summary>
    /// <param name="source">What to import; its packages must be installed under <see cref="ImportOptions.Root"/>.</param>
    /// <param name="options">Where to write and how to split.</param>
    /// <param name="progress">Receives the files decoded so far and how many there are (from worker threads).</param>
    /// <exception cref="InvalidOperationException">The source's files are not installed; the message names the packages.</exception>
    /// <exception cref="FormatException">A transcript file cannot be parsed; the message names file and line.</exception>
    public static ImportReport Import(ISpeechSource source, ImportOptions options, IProgress<ImportProgress>? progress = null)
    {
        if (!source.IsInstalled(options.Root))
            throw new InvalidOperationException(
                $"{source.Name}: the files of {string.Join(' ', source.Packages)} are not under {options.Root}; install them with: sudo apt-get install {string.Join(' ', source.Packages)}");
        var scan = source.Scan(options.Root);
        var screening = TranscriptScreening.Screen(scan.Utterances, TranscriptNormalizer.For(source.Language));
        var outDir = Path.GetFullPath(options.OutDir);
        var wavRoot = Path.Combine(outDir, "wav");
        Clear(outDir);
        var (all, bad) = DecodeAll(screening.Kept, wavRoot, options.Threads, progress);
        var items = all.Select(d => new HeldOutItem(d.Screened.Utterance.Id, d.Screened.Transcript.Letters, d.Seconds)).ToArray();
        var tooFast = all.Zip(items).GroupBy(p => p.First.Screened.Utterance.Part)
            .SelectMany(part => TranscriptScreening.TooFastForTheirAudio([.. part.Select(p => p.Second)])).ToArray();
        var rejected = tooFast.Select(e => e.Id).ToHashSet();
        foreach (var d in all.Where(d => rejected.Contains(d.Screened.Utterance.Id))) File.Delete(Path.Combine(wavRoot, d.Path));
        var decoded = all.Where(d => !rejected.Contains(d.Screened.Utterance.Id)).ToArray();
        var excluded = scan.Excluded.Concat(screening.Excluded).Concat(bad).Concat(tooFast).ToList();
        var notes = new List<string>(scan.Notes);

        var byId = decoded.ToDictionary(d => d.Screened.Utterance.Id);
        var plan = source.EvaluationOnly
            ? new HeldOutPlan([], [], [.. byId.Keys.Order(StringComparer.Ordinal)])
            : HeldOutPlanner.Plan([.. items.Where(i => !rejected.Contains(i.Id))], options.DevFraction, options.TestFraction, options.Seed);
        var splits = new List<SplitSummary>();
        void Write(string name, IEnumerable<string> ids)
        {
            var chosen = ids.Select(id => byId[id]).OrderBy(d => d.Path, StringComparer.Ordinal).ToArray();
            var manifest = new Manifest(wavRoot, [.. chosen.Select(d => new ManifestEntry(d.Path, d.Samples, d.Screened.Transcript.Letters, d.Screened.Transcript.ToWrd()))]);
            ManifestFiles.Write(outDir, name, manifest);
            splits.Add(new SplitSummary(name, chosen.Length, manifest.TotalSeconds, chosen.Select(d => d.Screened.Utterance.Speaker).Distinct().Count(), true));
        }

        Vocabulary? vocabulary = null;
        if (source.EvaluationOnly)
        {
            notes.Add($"{source.Name} is reserved for evaluation: all {plan.Test.Count} utterances are in test; no train, dev or vocabulary is written");
            File.WriteAllText(Path.Combine(outDir, "EVALUATION-ONLY.txt"),
                $"{source.Name} is an independent check set: never train, tune or select on it. Only test.tsv is written.\n", Utf8);
        }
        else
        {
            Write("train", plan.Train);
            WriteBudgets(plan.Train.Select(id => byId[id]).ToArray(), options, Write, notes);
            Write("dev", plan.Dev);
            vocabulary = Vocabulary.FromTranscripts(plan.Train.Select(id => byId[id].Screened.Transcript.Letters));
            vocabulary.Save(Path.Combine(outDir, "vocab.json"));
            var unseen = plan.Dev.Concat(plan.Test).SelectMany(id => Vocabulary.TextElements(byId[id].Screened.Transcript.Letters))
                .Where(e => e != "|" && vocabulary.IdOf(e) is null).Distinct().Order(StringComparer.Ordinal).ToArray();
            if (unseen.Length > 0) notes.Add($"letters in dev/test that no training transcript has (the model cannot output them): {string.Join(' ', unseen)}");
        }
        Write("test", plan.Test);
        WriteTables(outDir, decoded, plan, excluded);
        return new ImportReport(source.Name, outDir, splits, vocabulary, screening.DroppedCharacters, excluded, notes);
    }

    static void WriteBudgets(IReadOnlyList<DecodedUtterance> train, ImportOptions options, Action<string, IEnumerable<string>> write, List<string> notes)
    {
        // One pool voice, so a budget is a seeded random draw in proportion to the training split. Balancing by speaker
        // would fill 10 minutes of game dialogue with minor characters (24 in Czech) while the two fish speak 80 % of test.
        var pool = train.Select(d => new PooledUtterance(d.Screened.Utterance.Id, "pool", d.Seconds)).ToArray();
        var total = pool.Sum(u => u.Seconds);
        var fitting = options.Budgets.Where(b => total >= b.Seconds * (1 - SplitPlanner.Tolerance)).ToArray();
        foreach (var subset in SplitPlanner.PlanLabelledSubsets(pool, fitting, options.Seed))
            write(subset.Name, subset.Ids);
        foreach (var budget in options.Budgets.Except(fitting))
            notes.Add($"{budget.Name} not written: the training split holds only {total / 60:0.0} min of speech, less than {budget.Seconds / 60:0} min");
    }

    sealed record DecodedUtterance(ScreenedUtterance Screened, string Path, long Samples)
    {
        public double Seconds => Samples / (double)Manifest.SampleRate;
    }

    static (IReadOnlyList<DecodedUtterance> Decoded, IReadOnlyList<ExcludedItem> Bad) DecodeAll(
        IReadOnlyList<ScreenedUtterance> kept, string wavRoot, int? threads, IProgress<ImportProgress>? progress)
    {
        var results = new DecodedUtterance?[kept.Count];
        var problems = new ExcludedItem?[kept.Count];
        var done = 0;
        Parallel.For(0, kept.Count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, i =>
        {
            var u = kept[i].Utterance;
            try
            {
                var samples = RecordedAudio.Decode(u);
                var relative = u.Id + ".wav";
                var path = System.IO.Path.Combine(wavRoot, relative);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
                WavWriter.WriteMono16(path, samples);
                results[i] = new DecodedUtterance(kept[i], relative, samples.Length);
            }
            catch (AudioDecodeException e)
            {
                problems[i] = new ExcludedItem(u.Id, ExclusionReason.BadAudio, e.Message);
            }
            progress?.Report(new ImportProgress(Interlocked.Increment(ref done), kept.Count));
        });
        return ([.. results.OfType<DecodedUtterance>()], [.. problems.OfType<ExcludedItem>()]);
    }

    /// <summary>Removes what an earlier import wrote (audio, manifests, tables), so no stale split survives a re-run.</summary>
    static void Clear(string outDir)
    {
        var wav = Path.Combine(outDir, "wav");
        if (Directory.Exists(wav)) Directory.Delete(wav, recursive: true);
        Directory.CreateDirectory(wav);
        foreach (var split in new[] { "train", "dev", "test" }.Concat(Budget.LibriLight.Select(b => b.Name)))
            foreach (var ext in new[] { ".tsv", ".ltr", ".wrd" })
                File.Delete(Path.Combine(outDir, split + ext));
        foreach (var file in new[] { "vocab.json", "utterances.tsv", "excluded.tsv", "EVALUATION-ONLY.txt" })
            File.Delete(Path.Combine(outDir, file));
    }

    static void WriteTables(string outDir, IReadOnlyList<DecodedUtterance> decoded, HeldOutPlan plan, IReadOnlyList<ExcludedItem> excluded)
    {
        var split = plan.Train.Select(id => (id, "train")).Concat(plan.Dev.Select(id => (id, "dev"))).Concat(plan.Test.Select(id => (id, "test")))
            .ToDictionary(p => p.id, p => p.Item2);
        var table = new StringBuilder("path\tsplit\tspeaker\tseconds\ttranscript\tsource\n");
        foreach (var d in decoded.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            var u = d.Screened.Utterance;
            table.Append(CultureInfo.InvariantCulture,
                $"{d.Path}\t{split[u.Id]}\t{u.Speaker}\t{d.Seconds:0.000}\t{d.Screened.Transcript.ToWrd()}\t{Flat(u.Text)}\n");
        }
        File.WriteAllText(Path.Combine(outDir, "utterances.tsv"), table.ToString(), Utf8);
        var left = new StringBuilder("id\treason\tdetail\n");
        foreach (var e in excluded.OrderBy(e => e.Id, StringComparer.Ordinal))
            left.Append($"{e.Id}\t{e.Reason}\t{Flat(e.Detail)}\n");
        File.WriteAllText(Path.Combine(outDir, "excluded.tsv"), left.ToString(), Utf8);
    }

    static string Flat(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
