namespace Wav2Vec.Text;

/// <summary>A writing system as the Unicode blocks that hold its letters and combining marks.</summary>
/// <param name="Name">ISO 15924 code, e.g. <c>Latn</c>, <c>Cyrl</c>.</param>
/// <param name="Ranges">Inclusive code-point ranges.</param>
public sealed record WritingScript(string Name, IReadOnlyList<(int First, int Last)> Ranges)
{
    /// <summary>True when the code point lies in one of the script's blocks.</summary>
    public bool Contains(int codePoint) => Ranges.Any(r => codePoint >= r.First && codePoint <= r.Last);

    static WritingScript S(string name, params (int, int)[] ranges) => new(name, ranges);

    /// <summary>The scripts known by ISO 15924 code.</summary>
    public static readonly IReadOnlyDictionary<string, WritingScript> ByCode = new[]
    {
        S("Latn", (0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x250, 0x2AF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F)),
        S("Cyrl", (0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
        S("Grek", (0x370, 0x3FF), (0x1F00, 0x1FFF)),
        S("Armn", (0x530, 0x58F)),
        S("Hebr", (0x590, 0x5FF), (0xFB1D, 0xFB4F)),
        S("Arab", (0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
        S("Deva", (0x900, 0x97F), (0xA8E0, 0xA8FF)),
        S("Beng", (0x980, 0x9FF)),
        S("Guru", (0xA00, 0xA7F)),
        S("Gujr", (0xA80, 0xAFF)),
        S("Taml", (0xB80, 0xBFF)),
        S("Telu", (0xC00, 0xC7F)),
        S("Knda", (0xC80, 0xCFF)),
        S("Mlym", (0xD00, 0xD7F)),
        S("Sinh", (0xD80, 0xDFF)),
        S("Thai", (0xE00, 0xE7F)),
        S("Laoo", (0xE80, 0xEFF)),
        S("Mymr", (0x1000, 0x109F)),
        S("Geor", (0x10A0, 0x10FF), (0x1C90, 0x1CBF)),
        S("Ethi", (0x1200, 0x139F)),
        S("Khmr", (0x1780, 0x17FF)),
        S("Hang", (0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
        S("Jpan", (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)),
        S("Hani", (0x3400, 0x4DBF), (0x4E00, 0x9FFF)),
    }.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Languages (ISO 639-1/639-3 codes) not written in Latin script. Every other language defaults to Latin.</summary>
    static readonly Dictionary<string, string> LanguageScripts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ru"] = "Cyrl", ["uk"] = "Cyrl", ["be"] = "Cyrl", ["bg"] = "Cyrl", ["mk"] = "Cyrl", ["sr"] = "Cyrl", ["kk"] = "Cyrl",
        ["ky"] = "Cyrl", ["tg"] = "Cyrl", ["mn"] = "Cyrl", ["ba"] = "Cyrl", ["tt"] = "Cyrl", ["cv"] = "Cyrl", ["sah"] = "Cyrl",
        ["os"] = "Cyrl", ["ab"] = "Cyrl", ["ce"] = "Cyrl", ["rus"] = "Cyrl", ["ukr"] = "Cyrl",
        ["el"] = "Grek", ["grc"] = "Grek", ["ell"] = "Grek", ["hy"] = "Armn",
        ["he"] = "Hebr", ["yi"] = "Hebr", ["ar"] = "Arab", ["fa"] = "Arab", ["ur"] = "Arab", ["ps"] = "Arab", ["ug"] = "Arab",
        ["ckb"] = "Arab", ["sd"] = "Arab", ["hi"] = "Deva", ["mr"] = "Deva", ["ne"] = "Deva", ["sa"] = "Deva", ["mai"] = "Deva",
        ["bn"] = "Beng", ["as"] = "Beng", ["pa"] = "Guru", ["gu"] = "Gujr", ["ta"] = "Taml", ["te"] = "Telu", ["kn"] = "Knda",
        ["ml"] = "Mlym", ["si"] = "Sinh", ["th"] = "Thai", ["lo"] = "Laoo", ["my"] = "Mymr", ["ka"] = "Geor", ["am"] = "Ethi",
        ["ti"] = "Ethi", ["km"] = "Khmr", ["ko"] = "Hang", ["ja"] = "Jpan", ["zh"] = "Hani", ["yue"] = "Hani",
    };

    /// <summary>
    /// The script of a BCP-47 language tag: an explicit script subtag wins (<c>sr-Latn</c>, <c>uz-Cyrl</c>),
    /// then the table of non-Latin languages, then Latin.
    /// </summary>
    public static WritingScript ForLanguage(string language)
    {
        var parts = language.Split('-', '_');
        foreach (var part in parts.Skip(1))
            if (part.Length == 4 && ByCode.TryGetValue(part, out var explicitScript)) return explicitScript;
        return ByCode[LanguageScripts.GetValueOrDefault(parts[0], "Latn")];
    }
}
