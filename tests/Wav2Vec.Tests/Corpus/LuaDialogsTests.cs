using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class LuaDialogsTests
{
    [Fact]
    public void EachDialogIdTakesTheDialogStrThatFollowsIt()
    {
        var lua = """

            dialogId("vit-hs-klid1", "font_statue", "Citizens, please remain calm.")
            dialogStr("Občané. Zachovejte klid a rozvahu.")

            dialogId("m-obdivovat", "font_small", "On the contrary.")
            dialogStr(
            "Náhodou, když bude řešit pouze tady.")

            dialogId("untranslated", "font_big", "No translation follows.")
            dialogId("z-c-1", "", "")
            dialogStr("")
            """;
        Assert.Equal([
            new DialogLine("vit-hs-klid1", "font_statue", "Občané. Zachovejte klid a rozvahu."),
            new DialogLine("m-obdivovat", "font_small", "Náhodou, když bude řešit pouze tady."),
            new DialogLine("z-c-1", "", ""),
        ], LuaDialogs.Parse(lua, "dialogs_cs.lua"));
    }

    [Fact]
    public void CommentedOutDialogueIsNotDialogue()
    {
        var lua = """
            -- dialogId("old", "font_small", "x") dialogStr("line comment")
            --[[ dialogId("older", "font_small", "x")
            dialogStr("long comment") ]]
            --[==[ dialogStr("]]") ]==]
            dialogId("kept", "font_big", "x") dialogStr("Echt.")
            """;
        Assert.Equal([new DialogLine("kept", "font_big", "Echt.")], LuaDialogs.Parse(lua, "dialogs_nl.lua"));
    }

    [Fact]
    public void EscapesQuotesAndConcatenationAreLuaStrings()
    {
        var lua = """dialogId('a', "font_small", 'x') dialogStr("Zeg \"hallo\" tegen z'n " .. 'vis\'je' .. [[ en \n dat]])""";
        Assert.Equal("Zeg \"hallo\" tegen z'n vis'je en \\n dat", Assert.Single(LuaDialogs.Parse(lua, "x.lua")).Text);
    }

    [Fact]
    public void ACallWithANonStringArgumentIsSkipped()
    {
        var lua = """dialogId("a", font, "x") dialogStr("computed font") dialogId("b", "font_small", "y") dialogStr("Ja.")""";
        Assert.Equal([new DialogLine("b", "font_small", "Ja.")], LuaDialogs.Parse(lua, "x.lua"));
    }

    [Fact]
    public void AnUnterminatedStringNamesFileAndLine()
    {
        var e = Assert.Throws<FormatException>(() => LuaDialogs.Parse("dialogId(\"a\", \"f\", \"x\")\ndialogStr(\"no end\n)", "script/city/dialogs_cs.lua"));
        Assert.Equal("script/city/dialogs_cs.lua:2: unterminated string", e.Message);
    }
}
