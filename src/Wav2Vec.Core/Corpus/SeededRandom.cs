namespace Wav2Vec.Corpus;

/// <summary>
/// Deterministic randomness keyed by (seed, stream, index), so any item of a plan can be drawn independently
/// of order and thread: the same key always gives the same numbers, on every run and machine.
/// </summary>
public static class SeededRandom
{
    /// <summary>A generator for one (seed, stream, index) key; streams separate unrelated uses of one seed.</summary>
    public static Random For(long seed, string stream, long index = 0) => new(Seed(seed, stream, index));

    /// <summary>A seeded Fisher–Yates permutation of <paramref name="items"/>.</summary>
    public static T[] Shuffle<T>(IEnumerable<T> items, long seed, string stream)
    {
        var array = items.ToArray();
        var random = For(seed, stream);
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }
        return array;
    }

    /// <summary>
    /// The seed of one (seed, stream, index) key: FNV-1a over the key, folded to an int (string.GetHashCode is randomised
    /// per process, so not usable here). The one seed derivation of the framework: corpus plans, data order, crops, and
    /// the per-update masks, distractors and Gumbel noise of training.
    /// </summary>
    public static int Seed(long seed, string stream, long index = 0)
    {
        var h = 14695981039346656037UL;
        void Add(ulong v)
        {
            for (var b = 0; b < 8; b++) { h ^= (v >> (8 * b)) & 0xFF; h *= 1099511628211UL; }
        }
        Add((ulong)seed);
        foreach (var c in stream) Add(c);
        Add((ulong)index);
        return (int)(h ^ (h >> 32));
    }
}
