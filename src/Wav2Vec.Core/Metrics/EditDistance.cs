namespace Wav2Vec.Metrics;

/// <summary>
/// Edit counts of a hypothesis against a reference. Rates divide errors by reference length, so a corpus
/// rate is <c>Σ errors / Σ reference length</c> (sclite and jiwer), not a mean of utterance rates.
/// </summary>
/// <param name="Hits">Reference items matched.</param>
/// <param name="Substitutions">Reference items replaced.</param>
/// <param name="Deletions">Reference items missing from the hypothesis.</param>
/// <param name="Insertions">Hypothesis items with no reference item.</param>
public sealed record ErrorCounts(int Hits, int Substitutions, int Deletions, int Insertions)
{
    public static readonly ErrorCounts Zero = new(0, 0, 0, 0);

    /// <summary>S + D + I, the Levenshtein distance.</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>Reference length N = H + S + D.</summary>
    public int ReferenceLength => Hits + Substitutions + Deletions;

    /// <summary>(S + D + I) / N; 0 when both are empty, +∞ for insertions against an empty reference.</summary>
    public double Rate => ReferenceLength > 0 ? (double)Errors / ReferenceLength : Errors == 0 ? 0 : double.PositiveInfinity;

    public static ErrorCounts operator +(ErrorCounts a, ErrorCounts b) =>
        new(a.Hits + b.Hits, a.Substitutions + b.Substitutions, a.Deletions + b.Deletions, a.Insertions + b.Insertions);
}

/// <summary>
/// Levenshtein alignment with unit costs. Among alignments of minimal distance it takes one with the fewest
/// substitutions (most hits), as sclite's weights (sub 4, ins 3, del 3) prefer a deletion plus an insertion
/// that keeps a hit over two substitutions.
/// </summary>
public static class EditDistance
{
    /// <summary>Aligns <paramref name="hypothesis"/> to <paramref name="reference"/> and counts hits, S, D and I.</summary>
    public static ErrorCounts Align<T>(IReadOnlyList<T> reference, IReadOnlyList<T> hypothesis)
    {
        var eq = EqualityComparer<T>.Default;
        int n = reference.Count, m = hypothesis.Count;
        // cost[i, j] = (edits, substitutions) for reference[..i] vs hypothesis[..j], compared lexicographically.
        var cost = new (int Edits, int Subs)[n + 1, m + 1];
        for (int i = 1; i <= n; i++) cost[i, 0] = (i, 0);
        for (int j = 1; j <= m; j++) cost[0, j] = (j, 0);
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= m; j++)
            {
                var diagonal = eq.Equals(reference[i - 1], hypothesis[j - 1])
                    ? cost[i - 1, j - 1]
                    : (cost[i - 1, j - 1].Edits + 1, cost[i - 1, j - 1].Subs + 1);
                var deletion = (cost[i - 1, j].Edits + 1, cost[i - 1, j].Subs);
                var insertion = (cost[i, j - 1].Edits + 1, cost[i, j - 1].Subs);
                cost[i, j] = Min(diagonal, Min(deletion, insertion));
            }
        var (edits, subs) = cost[n, m];
        // N - D + I = M and S + D + I = edits fix D and I once S is known.
        int deletions = (edits - subs + n - m) / 2, insertions = edits - subs - deletions;
        return new ErrorCounts(n - subs - deletions, subs, deletions, insertions);
    }

    /// <summary>Levenshtein distance (S + D + I).</summary>
    public static int Distance<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => Align(a, b).Errors;

    static (int Edits, int Subs) Min((int Edits, int Subs) a, (int Edits, int Subs) b) =>
        a.Edits < b.Edits || (a.Edits == b.Edits && a.Subs <= b.Subs) ? a : b;
}
