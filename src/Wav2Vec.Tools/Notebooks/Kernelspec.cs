using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Corpus;

namespace Wav2Vec.Tools.Notebooks;

/// <summary>The Jupyter kernelspec (<c>kernel.json</c>) that starts the private dotnet-interactive tool as a C# kernel.</summary>
public static class Kernelspec
{
    /// <summary>
    /// kernel.json content. <c>--http-local-only</c> keeps the kernel's HTTP port on 127.0.0.1 (without it the
    /// kernel listens on every interface); DOTNET_ROOT lets the tool's launcher find the SDK that installed it.
    /// </summary>
    public static string Json(string toolExecutable, string dotnetRoot, string displayName = "C# (wav2vec)")
    {
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(toolExecutable, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-local-only"),
            ["display_name"] = displayName,
            ["language"] = "C#",
            ["env"] = new JsonObject { ["DOTNET_ROOT"] = dotnetRoot },
        };
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The user's Jupyter data folder: <c>$JUPYTER_DATA_DIR</c>, else <c>$XDG_DATA_HOME/jupyter</c>, else <c>~/.local/share/jupyter</c>.</summary>
    public static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitDir) return explicitDir;
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var data = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
        return Path.Combine(data, "jupyter");
    }

    /// <summary>Folder of the running dotnet host (what DOTNET_ROOT should be).</summary>
    public static string DotnetRoot() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
            ? root
            : Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
                ? ResolveLink(p)
                : ResolveLink(ExternalProcess.Which("dotnet") ?? "/usr/share/dotnet/dotnet"))!;

    static string ResolveLink(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
