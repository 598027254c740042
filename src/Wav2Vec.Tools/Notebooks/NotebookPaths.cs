namespace Wav2Vec.Tools.Notebooks;

/// <summary>
/// Where the notebook host lives inside a checkout. Everything it installs stays under <c>artifacts/</c>
/// (never committed), except the user-level Jupyter kernelspec that makes the kernel visible to Jupyter and VS Code.
/// </summary>
/// <param name="Root">Repository root (the folder holding Experiments.sln).</param>
public sealed record NotebookPaths(string Root)
{
    /// <summary>NuGet tool package and version of the kernel (the version whose FSharp.Core swap is known to work; docs/notebooks.md).</summary>
    public const string ToolPackage = "Microsoft.dotnet-interactive", ToolVersion = "1.0.712001";

    /// <summary>Jupyter kernelspec name notebooks declare in their metadata.</summary>
    public const string KernelName = "wav2vec-csharp";

    /// <summary>Environment variable notebooks read in their parameter cell: 1 selects smoke sizes.</summary>
    public const string SmokeVariable = "WAV2VEC_SMOKE";

    /// <summary>Environment variable that gives notebook charts a static PNG copy (1 = on; <c>notebooks run --in-place</c> sets it).</summary>
    public const string StaticChartsVariable = "WAV2VEC_STATIC_CHARTS";

    /// <summary>Folder of the committed notebooks and the shared prelude <c>setup.csx</c>.</summary>
    public string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>Private install of the dotnet-interactive tool (with FSharp.Core replaced).</summary>
    public string ToolFolder => Path.Combine(Root, "artifacts", "notebooks", "dotnet-interactive");

    /// <summary>The kernel executable.</summary>
    public string ToolExecutable => Path.Combine(ToolFolder, "dotnet-interactive");

    /// <summary>Jupyter data folder holding this checkout's kernelspec (put on JUPYTER_PATH when running notebooks).</summary>
    public string JupyterFolder => Path.Combine(Root, "artifacts", "notebooks", "jupyter");

    /// <summary>Build output notebooks <c>#r</c>: the library with every dependency, natives patched.</summary>
    public string LibraryFolder => Path.Combine(Root, "artifacts", "notebook-lib");

    /// <summary>Executed copies of notebooks written by <c>notebooks run</c>.</summary>
    public string ExecutedFolder => Path.Combine(Root, "artifacts", "notebooks", "executed");

    /// <summary>The project notebooks load.</summary>
    public string InteractiveProject => Path.Combine(Root, "src", "Wav2Vec.Interactive", "Wav2Vec.Interactive.csproj");

    /// <summary>The repository root above <paramref name="start"/> (default: the current folder, then the program's folder).</summary>
    public static NotebookPaths Find(string? start = null)
    {
        foreach (var origin in new[] { start ?? Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Experiments.sln"))) return new NotebookPaths(dir.FullName);
        throw new DirectoryNotFoundException($"no Experiments.sln above '{start ?? Environment.CurrentDirectory}': run this from inside the repository.");
    }
}
