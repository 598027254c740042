namespace Wav2Vec.Corpus;

/// <summary>What to synthesise.</summary>
/// <param name="OutDir">Output folder: manifests at its top, audio under <c>wav/</c>.</param>
/// <param name="Hours">Duration of the unlabelled training pool; dev and test come on top (see <see cref="SynthesisPlan.HeldOutSeconds"/>).</param>
/// <param name="Seed">Everything random (voices held out, sentence order, jitter, budgets) derives from it.</param>
/// <param name="Threads">Parallel engine processes; null for one per core.</param>
/// <param name="SpeedJitter">Speaking rate is drawn uniformly from 1 ± this.</param>
/// <param name="PitchJitter">Pitch factor is drawn uniformly from 1 ± this.</param>
/// <param name="DevSubset">
/// When <c>dev</c> holds more utterances than this, its first ones (in path order, so every dev voice reads some) are
/// also written as <c>dev-N</c>: a quicker model-selection set for sweeps (<c>experiments/finetune-budget.json</c> picks
/// its best checkpoint on <c>dev-100</c>). 0 writes none.
/// </param>
/// <param name="PoolVoices">
/// Synthesise only an unlabelled <c>train</c> pool, read by the voices the default corpus never uses
/// (<see cref="ITtsEngine.PoolVoices"/>) and drawn from the same seed's training sentences, so pooled with the default
/// corpus of that seed (<c>data pool</c>) it adds voices and no dev or test sentence.
/// </param>
public sealed record CorpusOptions(
    string OutDir, double Hours = 1, long Seed = 0, int? Threads = null, double SpeedJitter = 0.15, double PitchJitter = 0.15,
    int DevSubset = 100, bool PoolVoices = false);

/// <summary>Progress of a synthesis run, reported after each utterance.</summary>
/// <param name="Split">The split being synthesised.</param>
/// <param name="SecondsDone">Audio seconds written so far, all splits.</param>
/// <param name="SecondsTarget">Audio seconds the whole corpus will hold, approximately.</param>
/// <param name="Utterances">Utterances written so far.</param>
public sealed record SynthProgress(string Split, double SecondsDone, double SecondsTarget, int Utterances);

/// <summary>One written split.</summary>
public sealed record SplitSummary(string Name, int Utterances, double Seconds, int Voices, bool Labelled);

/// <summary>What a synthesis run wrote and how fast.</summary>
/// <param name="OutDir">Output folder.</param>
/// <param name="Splits">train, the labelled budgets, dev, test.</param>
/// <param name="Notes">Budgets capped, engines not used, and similar things the user should read.</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="AudioSeconds">Audio synthesised, including utterances beyond a split's target that were discarded.</param>
public sealed record CorpusReport(string OutDir, IReadOnlyList<SplitSummary> Splits, IReadOnlyList<string> Notes, TimeSpan Elapsed, double AudioSeconds)
{
    /// <summary>Audio seconds synthesised per wall-clock second.</summary>
    public double RealTimeFactor => AudioSeconds / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
