using Wav2Vec.Ctc;

namespace Wav2Vec.Analysis;

/// <summary>How frames outside every letter span (CTC blanks) are labelled.</summary>
public enum BlankFrames
{
    /// <summary>Blank frames get no label (null): only the frames the alignment assigns to a letter count.</summary>
    Unlabelled,

    /// <summary>
    /// Blank frames take the letter of the span before them (frames before the first span take the first letter),
    /// so every frame gets the letter whose segment it lies in. CTC alignments are peaky — a letter often owns
    /// one frame — so this gives far more labelled frames.
    /// </summary>
    PreviousLetter,
}

/// <summary>Per-frame letter labels from a CTC forced alignment, to colour frame representations by letter.</summary>
public static class FrameLetters
{
    /// <summary>
    /// The letter of each of the alignment's <c>Path.Length</c> frames: the token of the <see cref="TokenSpan"/>
    /// covering it, as <paramref name="vocabulary"/> spells it (the word delimiter stays <c>|</c>); frames in no span
    /// follow <paramref name="blanks"/>.
    /// </summary>
    public static string?[] FromAlignment(Alignment alignment, Vocabulary vocabulary, BlankFrames blanks = BlankFrames.Unlabelled)
    {
        var labels = new string?[alignment.Path.Length];
        foreach (var span in alignment.Spans)
        {
            if (span.Start < 0 || span.End > labels.Length || span.Start >= span.End)
                throw new ArgumentException($"span [{span.Start}, {span.End}) of token {span.Token} lies outside the alignment's {labels.Length} frames.", nameof(alignment));
            Array.Fill(labels, vocabulary.Tokens[span.Token], span.Start, span.End - span.Start);
        }
        if (blanks == BlankFrames.PreviousLetter && alignment.Spans.Count > 0)
        {
            var current = vocabulary.Tokens[alignment.Spans[0].Token];
            for (var t = 0; t < labels.Length; t++)
                current = labels[t] ??= current;
        }
        return labels;
    }
}
