using System.Xml;
using System.Xml.Linq;

namespace Wav2Vec.Corpus;

/// <summary>A <c>&lt;sound name="…" file="…"/&gt;</c> of a KDE Education sound list, with the element that holds it.</summary>
/// <param name="Group">The parent element: <c>alphabet</c> or <c>syllables</c> in KLettres, <c>language</c> in KTuberling.</param>
/// <param name="Name">What the game calls the sound: the letter, syllable or key (<c>egypt_camel</c>).</param>
/// <param name="File">The audio file, relative to the sound folder (<c>en/alpha/A.ogg</c>).</param>
public sealed record KdeSound(string Group, string Name, string File);

/// <summary>Reads the sound lists of KLettres (<c>sounds.xml</c>) and KTuberling (<c>LANG.soundtheme</c>).</summary>
public static class KdeSoundList
{
    /// <summary>Every <c>sound</c> element with both attributes, in document order.</summary>
    /// <exception cref="FormatException">The file is not well-formed XML; the message names file and line.</exception>
    public static IReadOnlyList<KdeSound> Parse(string xml, string fileName)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new FormatException($"{fileName}:{e.LineNumber}: not well-formed XML ({e.Message})", e);
        }
        return [.. document.Descendants("sound")
            .Where(s => s.Attribute("name") is not null && s.Attribute("file") is not null)
            .Select(s => new KdeSound(s.Parent?.Name.LocalName ?? "", s.Attribute("name")!.Value.Trim(), s.Attribute("file")!.Value.Trim()))];
    }
}
