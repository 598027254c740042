namespace Wav2Vec.Corpus;

/// <summary>Pure planning of what each synthesised utterance is: split sizes, sentence shares, voice and jitter per job.</summary>
public static class SynthesisPlan
{
    /// <summary>Split names in the order they are synthesised.</summary>
    public static readonly IReadOnlyList<string> SynthesisedSplits = ["train", "dev", "test"];

    /// <summary>
    /// Seconds of dev and of test each: 5% of the pool, but at least the smaller of 25% of the pool and 5 minutes,
    /// so small corpora still get a usable evaluation set.
    /// </summary>
    public static double HeldOutSeconds(double trainSeconds) => Math.Max(0.05 * trainSeconds, Math.Min(0.25 * trainSeconds, 300));

    /// <summary>
    /// Splits the (shuffled) sentences so no text is shared between splits: every 20th sentence goes to test,
    /// the one after it to dev, the rest to train.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ShareSentences(IReadOnlyList<string> sentences, long seed)
    {
        var shuffled = SeededRandom.Shuffle(sentences, seed, "sentences");
        return new Dictionary<string, IReadOnlyList<string>>
        {
            ["test"] = [.. shuffled.Where((_, i) => i % 20 == 0)],
            ["dev"] = [.. shuffled.Where((_, i) => i % 20 == 1)],
            ["train"] = [.. shuffled.Where((_, i) => i % 20 > 1)],
        };
    }

    /// <summary>
    /// Job <paramref name="index"/> of a split: voices in turn (so every voice reads an equal share), sentences in
    /// turn (once exhausted, re-read shifted by one per round, so a re-read sentence usually meets another voice), speed and pitch jitter drawn from the (seed, split, index) key.
    /// </summary>
    public static Rendition Job(string split, int index, IReadOnlyList<Voice> voices, IReadOnlyList<string> sentences, CorpusOptions options)
    {
        var random = SeededRandom.For(options.Seed, "jitter-" + split, index);
        var speed = 1 + options.SpeedJitter * (2 * random.NextDouble() - 1);
        var pitch = 1 + options.PitchJitter * (2 * random.NextDouble() - 1);
        var round = index / sentences.Count;
        return new Rendition(voices[index % voices.Count], sentences[(index + round) % sentences.Count], speed, pitch);
    }
}
