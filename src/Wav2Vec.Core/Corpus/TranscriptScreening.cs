using Wav2Vec.Text;

namespace Wav2Vec.Corpus;

/// <summary>An utterance whose transcript normalised cleanly.</summary>
public sealed record ScreenedUtterance(RecordedUtterance Utterance, NormalizedTranscript Transcript);

/// <summary>What screening kept and left out.</summary>
/// <param name="Kept">Utterances with clean transcripts, in input order.</param>
/// <param name="Excluded">Utterances left out, with the characters at fault.</param>
/// <param name="DroppedCharacters">Every character outside the language's letters, with how often it occurs in the left-out transcripts.</param>
public sealed record ScreeningResult(
    IReadOnlyList<ScreenedUtterance> Kept, IReadOnlyList<ExcludedItem> Excluded, IReadOnlyDictionary<char, int> DroppedCharacters);

/// <summary>
/// Normalises each transcript and leaves out the utterances it cannot represent. Removing a digit or a foreign word
/// from a transcript would make it disagree with the audio, so the whole utterance goes and the characters are counted.
/// </summary>
public static class TranscriptScreening
{
    /// <summary>
    /// Letters per second above this multiple of the source's median mark a transcript that cannot be what the audio
    /// says (Asterisk's Italian transcript describes a 0.4 s beep as "un suono beep di errore"). Read speech stays within
    /// 1.7× of its median in every source imported; the low side is not checked, as spelled letters and single words
    /// with pauses around them are slow by nature.
    /// </summary>
    public const double MaxRateOverMedian = 2.5;

    /// <summary>Screens <paramref name="utterances"/> with <paramref name="normalizer"/>.</summary>
    public static ScreeningResult Screen(IEnumerable<RecordedUtterance> utterances, ITranscriptNormalizer normalizer)
    {
        var kept = new List<ScreenedUtterance>();
        var excluded = new List<ExcludedItem>();
        var dropped = new SortedDictionary<char, int>();
        foreach (var u in utterances)
        {
            var t = normalizer.Normalize(u.Text);
            if (!t.IsClean)
            {
                foreach (var c in u.Text.Normalize(System.Text.NormalizationForm.FormC))
                    if (t.Unmapped.Contains(c)) dropped[c] = dropped.GetValueOrDefault(c) + 1;
                excluded.Add(new ExcludedItem(u.Id, ExclusionReason.OtherCharacters, $"not {normalizer.Language} letters: {t.DescribeUnmapped()}"));
            }
            else if (t.Letters.Length == 0)
                excluded.Add(new ExcludedItem(u.Id, ExclusionReason.EmptyTranscript, $"no words in \"{u.Text}\""));
            else
                kept.Add(new ScreenedUtterance(u, t));
        }
        return new ScreeningResult(kept, excluded, dropped);
    }

    /// <summary>
    /// The utterances whose transcripts have more than <see cref="MaxRateOverMedian"/> times the median letters per
    /// second of <paramref name="items"/>, with a detail for <c>excluded.tsv</c>.
    /// </summary>
    public static IReadOnlyList<ExcludedItem> TooFastForTheirAudio(IReadOnlyList<HeldOutItem> items)
    {
        if (items.Count == 0) return [];
        static double Rate(HeldOutItem i) => i.Text.Count(c => c != NormalizedTranscript.WordDelimiter) / Math.Max(i.Seconds, 1e-3);
        var rates = items.Select(Rate).Order().ToArray();
        var median = rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[rates.Length / 2 - 1] + rates[rates.Length / 2]) / 2;
        return [.. items.Where(i => Rate(i) > MaxRateOverMedian * median).Select(i => new ExcludedItem(i.Id, ExclusionReason.TooFast,
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Rate(i):0.0} letters/s in {i.Seconds:0.00} s, over {MaxRateOverMedian}× the median of {median:0.0}: the transcript cannot be what is said")))];
    }
}
