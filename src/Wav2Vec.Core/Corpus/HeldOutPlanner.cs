namespace Wav2Vec.Corpus;

/// <summary>An utterance as held-out planning sees it: its normalised transcript and duration.</summary>
public sealed record HeldOutItem(string Id, string Text, double Seconds);

/// <summary>Utterance ids per split, each list in ordinal order.</summary>
public sealed record HeldOutPlan(IReadOnlyList<string> Train, IReadOnlyList<string> Dev, IReadOnlyList<string> Test);

/// <summary>
/// Pure dev/test planning for recorded sources, where speakers are too few to hold out: utterances with the same
/// transcript move together, so no transcript text of dev or test is ever seen in training (a prompt read twice would
/// otherwise be scored on words the model was trained on). Deterministic by seed.
/// </summary>
public static class HeldOutPlanner
{
    /// <summary>
    /// Shuffles the groups of equal transcripts (seeded), then fills test and dev in turn until each holds its fraction
    /// of the total duration; the rest is train. Each held-out split passes its target by less than one group.
    /// </summary>
    /// <exception cref="ArgumentException">A fraction is negative, or dev and test together take everything.</exception>
    public static HeldOutPlan Plan(IReadOnlyList<HeldOutItem> items, double devFraction, double testFraction, long seed)
    {
        if (devFraction < 0 || testFraction < 0 || devFraction + testFraction >= 1)
            throw new ArgumentException($"dev and test fractions must be ≥ 0 and leave something to train on, got {devFraction} and {testFraction}");
        var groups = SeededRandom.Shuffle(items.GroupBy(i => i.Text).OrderBy(g => g.Key, StringComparer.Ordinal), seed, "held-out");
        var total = items.Sum(i => i.Seconds);
        var (train, dev, test) = (new List<string>(), new List<string>(), new List<string>());
        double devSeconds = 0, testSeconds = 0;
        foreach (var group in groups)
        {
            var seconds = group.Sum(i => i.Seconds);
            var ids = group.Select(i => i.Id);
            if (testSeconds < testFraction * total) { test.AddRange(ids); testSeconds += seconds; }
            else if (devSeconds < devFraction * total) { dev.AddRange(ids); devSeconds += seconds; }
            else train.AddRange(ids);
        }
        return new HeldOutPlan(Sorted(train), Sorted(dev), Sorted(test));
    }

    static string[] Sorted(List<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
}
