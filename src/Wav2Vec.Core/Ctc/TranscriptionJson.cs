using System.Text.Json;

namespace Wav2Vec.Ctc;

/// <summary>JSON forms of transcriptions and alignments for the command line (one object per audio file).</summary>
public static class TranscriptionJson
{
    static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>{"file", "text", "score", "words": [{"word", "start", "end", "score"}], "chars": [{"char", "start", "end", "score"}]}</c>;
    /// times in seconds, word and character scores are mean per-frame probabilities.
    /// </summary>
    public static string Format(string file, string text, double score, IEnumerable<WordSpan> words, IEnumerable<CharacterSpan> characters) =>
        JsonSerializer.Serialize(new
        {
            file,
            text,
            score = Math.Round(score, 4),
            words = words.Select(w => new
            {
                word = w.Word,
                start = Math.Round(w.StartSeconds, 3),
                end = Math.Round(w.EndSeconds, 3),
                score = Math.Round(w.Score, 4),
            }),
            chars = characters.Select(c => new
            {
                @char = c.Character,
                start = Math.Round(c.StartSeconds, 3),
                end = Math.Round(c.EndSeconds, 3),
                score = Math.Round(c.Score, 4),
            }),
        }, Options);
}
