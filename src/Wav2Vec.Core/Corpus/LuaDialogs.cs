using System.Text;

namespace Wav2Vec.Corpus;

/// <summary>A line of game dialogue: its id, the font naming who speaks, and the translated text.</summary>
public sealed record DialogLine(string Id, string Font, string Text);

/// <summary>
/// Reads the dialogue of Fish Fillets NG's Lua scripts: <c>dialogId("id", "font_small", "English")</c> followed by
/// <c>dialogStr("translation")</c>. A small Lua tokenizer skips comments (a commented-out line is not dialogue) and
/// joins <c>..</c>-concatenated string literals; a call with any other argument is not dialogue text and is skipped.
/// </summary>
public static class LuaDialogs
{
    /// <summary>The translated lines of one script, in order; a <c>dialogId</c> without a following <c>dialogStr</c> has none.</summary>
    /// <exception cref="FormatException">An unterminated string or comment; the message names the file and line.</exception>
    public static IReadOnlyList<DialogLine> Parse(string source, string fileName)
    {
        var calls = Calls(Tokens(source, fileName)).ToArray();
        var lines = new List<DialogLine>();
        for (var i = 0; i + 1 < calls.Length; i++)
            if (calls[i] is ("dialogId", [var id, var font, ..]) && calls[i + 1] is ("dialogStr", [var text]))
                lines.Add(new DialogLine(id, font, text));
        return lines;
    }

    enum Kind { Name, String, Symbol }

    readonly record struct Token(Kind Kind, string Value);

    /// <summary>Calls <c>name(…)</c> whose arguments are all string literals; other calls yield the name with null arguments.</summary>
    static IEnumerable<(string Name, string[]? Arguments)> Calls(IReadOnlyList<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind != Kind.Name || tokens[i + 1] is not { Kind: Kind.Symbol, Value: "(" }) continue;
            var arguments = new List<string>();
            var current = (StringBuilder?)null;
            var j = i + 2;
            var literal = true;
            for (; j < tokens.Count && tokens[j] is not { Kind: Kind.Symbol, Value: ")" }; j++)
            {
                var t = tokens[j];
                if (t.Kind == Kind.String) (current ??= new StringBuilder()).Append(t.Value);
                else if (t is { Kind: Kind.Symbol, Value: "," } && current is not null) { arguments.Add(current.ToString()); current = null; }
                else if (t is not { Kind: Kind.Symbol, Value: ".." }) literal = false;
            }
            if (current is not null) arguments.Add(current.ToString());
            yield return (tokens[i].Value, literal ? [.. arguments] : null);
        }
    }

    static List<Token> Tokens(string s, string fileName)
    {
        var tokens = new List<Token>();
        var i = 0;
        int Line(int at) => 1 + s.AsSpan(0, Math.Min(at, s.Length)).Count('\n');
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) i++;
            else if (s.AsSpan(i).StartsWith("--"))
            {
                if (LongBracket(s, i + 2) is { } level)
                    i = LongEnd(s, i + 2, level, fileName, Line(i)).End;
                else
                    i = s.IndexOf('\n', i) is var nl && nl < 0 ? s.Length : nl;
            }
            else if (c is '"' or '\'')
            {
                var (value, end) = QuotedString(s, i, fileName, Line(i));
                tokens.Add(new Token(Kind.String, value));
                i = end;
            }
            else if (c == '[' && LongBracket(s, i) is { } level)
            {
                var (value, end) = LongEnd(s, i, level, fileName, Line(i));
                tokens.Add(new Token(Kind.String, value));
                i = end;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
                tokens.Add(new Token(Kind.Name, s[start..i]));
            }
            else if (s.AsSpan(i).StartsWith(".."))
            {
                tokens.Add(new Token(Kind.Symbol, ".."));
                i += 2;
            }
            else
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString()));
                i++;
            }
        }
        return tokens;
    }

    /// <summary>The level of a long bracket <c>[==[</c> opening at <paramref name="at"/>, or null.</summary>
    static int? LongBracket(string s, int at)
    {
        if (at >= s.Length || s[at] != '[') return null;
        var j = at + 1;
        while (j < s.Length && s[j] == '=') j++;
        return j < s.Length && s[j] == '[' ? j - at - 1 : null;
    }

    static (string Value, int End) LongEnd(string s, int at, int level, string fileName, int line)
    {
        var open = at + level + 2;
        var close = s.IndexOf("]" + new string('=', level) + "]", open, StringComparison.Ordinal);
        if (close < 0) throw new FormatException($"{fileName}:{line}: unterminated long string or comment");
        var value = s[open..close];
        return (value.StartsWith('\n') ? value[1..] : value, close + level + 2);
    }

    static (string Value, int End) QuotedString(string s, int at, string fileName, int line)
    {
        var quote = s[at];
        var value = new StringBuilder();
        for (var i = at + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote) return (value.ToString(), i + 1);
            if (c == '\n') break;
            if (c != '\\') { value.Append(c); continue; }
            if (++i >= s.Length) break;
            value.Append(s[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
        }
        throw new FormatException($"{fileName}:{line}: unterminated string");
    }
}
