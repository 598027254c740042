namespace Wav2Vec.Data;

/// <summary>Pure length bucketing: sorted items cut into batches under a padded-size limit.</summary>
public static class Bucketing
{
    /// <summary>
    /// Sorts by length (stable) and cuts greedily so that count × longest ≤ <paramref name="maxSamples"/> in each batch;
    /// an item longer than the limit gets a batch of its own.
    /// </summary>
    public static List<IReadOnlyList<T>> Cut<T>(IReadOnlyList<T> items, Func<T, int> length, long maxSamples)
    {
        var batches = new List<IReadOnlyList<T>>();
        var current = new List<T>();
        var longest = 0;
        foreach (var item in items.OrderBy(length))
        {
            var l = length(item);
            if (current.Count > 0 && (long)(current.Count + 1) * Math.Max(longest, l) > maxSamples)
            {
                batches.Add(current);
                current = [];
                longest = 0;
            }
            current.Add(item);
            longest = Math.Max(longest, l);
        }
        if (current.Count > 0) batches.Add(current);
        return batches;
    }
}
