namespace Wav2Vec.Corpus;

/// <summary>
/// Pure split planning for the synthesised corpus (no I/O, no engines): which voices read dev and test, and which
/// training utterances form the nested labelled budgets. Deterministic by seed.
/// </summary>
public static class SplitPlanner
{
    /// <summary>Relative tolerance of each labelled budget (Libri-light's subsets are within about this).</summary>
    public const double Tolerance = 0.02;

    /// <summary>
    /// Holds out voices for dev and test: after a seeded shuffle, the first <c>max(1, n/8)</c> voices read test, the
    /// next as many read dev, the rest train. Needs at least three voices.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than three distinct voices.</exception>
    public static VoicePartition PartitionVoices(IEnumerable<string> voices, long seed)
    {
        var distinct = voices.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 3)
            throw new ArgumentException($"voices: need at least 3 distinct voices (train, dev and test need their own), got {distinct.Length}", nameof(voices));
        var held = Math.Max(1, distinct.Length / 8);
        var shuffled = SeededRandom.Shuffle(distinct, seed, "voices");
        return new VoicePartition(shuffled[(2 * held)..], shuffled[held..(2 * held)], shuffled[..held]);
    }

    /// <summary>
    /// Selects nested labelled subsets of <paramref name="pool"/>, smallest budget first, each a prefix of one
    /// voice-balanced order: the next utterance always comes from the voice with the fewest selected seconds (ties by
    /// a seeded voice order), each voice's utterances in seeded order. Each subset is the prefix whose duration is
    /// closest to its target, so nesting holds by construction and each total is within half an utterance of its
    /// target: within <see cref="Tolerance"/> whenever utterances are shorter than 2·Tolerance·target (24 s for 10 min).
    /// A budget larger than the pool is capped to the whole pool.
    /// </summary>
    public static IReadOnlyList<LabelledSubset> PlanLabelledSubsets(IReadOnlyList<PooledUtterance> pool, IEnumerable<Budget> budgets, long seed)
    {
        var order = BalancedOrder(pool, seed);
        var prefix = new double[order.Count + 1];
        for (var i = 0; i < order.Count; i++) prefix[i + 1] = prefix[i] + order[i].Seconds;
        var total = prefix[^1];
        var subsets = new List<LabelledSubset>();
        var previous = 0;
        foreach (var budget in budgets.OrderBy(b => b.Seconds))
        {
            var target = Math.Min(budget.Seconds, total);
            var k = ClosestPrefix(prefix, target, previous);
            subsets.Add(new LabelledSubset(budget.Name, budget.Seconds, target, [.. order.Take(k).Select(u => u.Id)], prefix[k]));
            previous = k;
        }
        return subsets;
    }

    /// <summary>The voice-balanced selection order of the whole pool.</summary>
    public static IReadOnlyList<PooledUtterance> BalancedOrder(IReadOnlyList<PooledUtterance> pool, long seed)
    {
        var voiceOrder = SeededRandom.Shuffle(pool.Select(u => u.Voice).Distinct().Order(StringComparer.Ordinal), seed, "budget-voices");
        var queues = voiceOrder.Select(v => new Queue<PooledUtterance>(
            SeededRandom.Shuffle(pool.Where(u => u.Voice == v).OrderBy(u => u.Id, StringComparer.Ordinal), seed, "budget-" + v))).ToArray();
        var selected = new double[queues.Length];
        var order = new List<PooledUtterance>(pool.Count);
        while (order.Count < pool.Count)
        {
            var best = -1;
            for (var v = 0; v < queues.Length; v++)
                if (queues[v].Count > 0 && (best < 0 || selected[v] < selected[best])) best = v;
            var next = queues[best].Dequeue();
            selected[best] += next.Seconds;
            order.Add(next);
        }
        return order;
    }

    static int ClosestPrefix(double[] prefix, double target, int atLeast)
    {
        var k = atLeast;
        while (k + 1 < prefix.Length && prefix[k + 1] <= target) k++;
        return k + 1 < prefix.Length && prefix[k + 1] - target < target - prefix[k] ? k + 1 : k;
    }
}
