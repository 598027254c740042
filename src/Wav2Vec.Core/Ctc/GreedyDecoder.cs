namespace Wav2Vec.Ctc;

/// <summary>
/// Best-path CTC decoding: the most likely token of every frame, repeats collapsed, blanks dropped.
/// Pure functions over <c>[frame][token]</c> arrays.
/// </summary>
public static class GreedyDecoder
{
    /// <summary>Per-frame argmax of <paramref name="logProbs"/> <c>[T][V]</c>: the best path, length T.</summary>
    public static int[] BestPath(float[][] logProbs)
    {
        var path = new int[logProbs.Length];
        for (int t = 0; t < path.Length; t++)
        {
            var row = logProbs[t];
            int best = 0;
            for (int v = 1; v < row.Length; v++)
                if (row[v] > row[best]) best = v;
            path[t] = best;
        }
        return path;
    }

    /// <summary>
    /// The CTC collapse B(π): merge runs of equal tokens, then drop blanks. A token repeated across a blank
    /// survives twice, which is how CTC spells doubled letters.
    /// </summary>
    public static int[] Collapse(IReadOnlyList<int> path, int blank)
    {
        var tokens = new List<int>();
        int previous = -1;
        foreach (var token in path)
        {
            if (token != previous && token != blank) tokens.Add(token);
            previous = token;
        }
        return [.. tokens];
    }

    /// <summary>Greedy token ids of <paramref name="logProbs"/> <c>[T][V]</c>.</summary>
    public static int[] DecodeIds(float[][] logProbs, int blank) => Collapse(BestPath(logProbs), blank);

    /// <summary>Greedy transcription of <paramref name="logProbs"/> <c>[T][V]</c> (logits work too: only the argmax matters).</summary>
    public static string Decode(float[][] logProbs, Vocabulary vocabulary) =>
        vocabulary.ToText(DecodeIds(logProbs, vocabulary.Blank));
}
