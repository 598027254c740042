using System.Diagnostics;
using System.Reflection;
using Wav2Vec.Corpus;
using Wav2Vec.Tools.Native;

namespace Wav2Vec.Tools.Notebooks;

/// <summary>What <see cref="NotebookSetup.Run"/> did, step by step, with the time each took.</summary>
public sealed record SetupStep(string Name, string Outcome, TimeSpan Elapsed);

/// <summary>
/// <c>./wav2vec notebooks setup</c>: makes this checkout's notebooks runnable in Jupyter (and VS Code) in one
/// command. Each step is idempotent, so running it again only refreshes the library build.
/// <list type="number">
/// <item>Jupyter's <c>nbconvert</c>/<c>nbclient</c> from Debian packages when missing.</item>
/// <item>The library build notebooks <c>#r</c> (<see cref="NotebookPaths.LibraryFolder"/>), natives patched by the build.</item>
/// <item>A private dotnet-interactive tool whose FSharp.Core is replaced by the library's 10.1 (Plotly.NET 6 needs
/// FSharp.Core ≥ 10.1.300; the tool ships 10.0, and two copies in one kernel break with MissingMethodException).</item>
/// <item>The kernelspec <see cref="NotebookPaths.KernelName"/>, in this checkout and for the user.</item>
/// </list>
/// </summary>
public static class NotebookSetup
{
    /// <summary>Debian packages that provide <c>jupyter nbconvert --execute</c>.</summary>
    public static readonly IReadOnlyList<string> JupyterPackages = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client"];

    /// <summary>Runs every step; throws with the failing command's output when one fails.</summary>
    /// <param name="paths">The checkout.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="userKernel">Also register the kernelspec in the user's Jupyter folder (for Jupyter and VS Code).</param>
    public static IReadOnlyList<SetupStep> Run(NotebookPaths paths, Action<string> log, bool userKernel = true)
    {
        var steps = new List<SetupStep>();
        void Step(string name, Func<string> action)
        {
            log($"notebooks setup: {name} ...");
            var clock = Stopwatch.StartNew();
            var outcome = action();
            steps.Add(new SetupStep(name, outcome, clock.Elapsed));
            log($"notebooks setup: {name}: {outcome} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        Step("jupyter", EnsureJupyter);
        Step("library", () => BuildLibrary(paths));
        Step("dotnet-interactive", () => InstallTool(paths));
        Step("FSharp.Core", () => ReplaceFSharpCore(paths));
        Step("kernelspec", () => RegisterKernel(paths, userKernel));
        return steps;
    }

    /// <summary>True when <c>jupyter nbconvert</c> can run.</summary>
    public static bool JupyterAvailable() =>
        ExternalProcess.Which("jupyter-nbconvert") is not null && ExternalProcess.Which("jupyter") is not null;

    static string EnsureJupyter()
    {
        if (JupyterAvailable()) return "present";
        if (ExternalProcess.Which("apt-get") is null)
            throw new InvalidOperationException("jupyter nbconvert is missing and apt-get is not available: install Jupyter (nbconvert, nbclient, jupyter_client) with your package manager.");
        var sudo = Environment.UserName == "root" ? [] : new[] { "sudo" };
        string[] install = [.. sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", .. JupyterPackages];
        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var result = ProcessRunner.Run(install[0], install[1..], environment: environment);
        if (!result.Succeeded)
        {
            // A fresh machine's package lists may be missing or stale.
            string[] update = [.. sudo, "apt-get", "update", "-q"];
            ProcessRunner.Run(update[0], update[1..], environment: environment);
            result = ProcessRunner.Run(install[0], install[1..], environment: environment);
        }
        if (!result.Succeeded || !JupyterAvailable())
            throw new InvalidOperationException($"installing {string.Join(' ', JupyterPackages)} failed:\n{result.Tail()}");
        return "installed " + string.Join(' ', JupyterPackages);
    }

    /// <summary>
    /// Builds the library (incremental: seconds when the solution was just built) and mirrors its build output into
    /// the folder notebooks load. Only changed files are copied, each through a temporary name and a rename, so a
    /// kernel that still has the old assemblies mapped keeps running on them until it restarts.
    /// </summary>
    public static string BuildLibrary(NotebookPaths paths)
    {
        var build = ProcessRunner.Run("dotnet", ["build", paths.InteractiveProject, "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly"], paths.Root);
        if (!build.Succeeded) throw new InvalidOperationException($"building {paths.InteractiveProject} failed:\n{build.Tail()}");
        var query = ProcessRunner.Run("dotnet", ["msbuild", paths.InteractiveProject, "-p:Configuration=Release", "-getProperty:TargetDir"], paths.Root);
        var output = query.Output.Trim();
        if (!query.Succeeded || !Directory.Exists(output))
            throw new InvalidOperationException($"cannot find the build output of {paths.InteractiveProject}:\n{query.Tail()}");
        var copied = Mirror(output, paths.LibraryFolder);
        var native = Path.Combine(paths.LibraryFolder, "libLibTorchSharp.so");
        if (!File.Exists(native)) throw new InvalidOperationException($"{native} is missing after the build: the TorchSharp natives were not copied.");
        if (!ElfVersionPatch.SystemLibStdCxxProvides(ElfVersionPatch.MissingVersion) && !ElfVersionPatch.IsSatisfiedOrWeak(native, ElfVersionPatch.MissingVersion))
            throw new InvalidOperationException($"{native} still requires {ElfVersionPatch.MissingVersion}: the build's native patch did not run.");
        return $"{paths.LibraryFolder} ({copied} files updated)";
    }

    /// <summary>Copies files of <paramref name="source"/> that differ in size or time into <paramref name="target"/>; returns how many.</summary>
    public static int Mirror(string source, string target)
    {
        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            var from = new FileInfo(file);
            var to = new FileInfo(destination);
            if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temporary = destination + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            File.Copy(file, temporary);
            File.SetLastWriteTimeUtc(temporary, from.LastWriteTimeUtc);
            File.Move(temporary, destination, overwrite: true);
            copied++;
        }
        return copied;
    }

    static string InstallTool(NotebookPaths paths)
    {
        if (File.Exists(paths.ToolExecutable) && ToolFSharpCore(paths) is not null) return $"{NotebookPaths.ToolVersion} present";
        if (Directory.Exists(paths.ToolFolder)) Directory.Delete(paths.ToolFolder, recursive: true);
        var result = ProcessRunner.Run("dotnet",
            ["tool", "install", NotebookPaths.ToolPackage, "--version", NotebookPaths.ToolVersion, "--tool-path", paths.ToolFolder], paths.Root);
        if (!result.Succeeded) throw new InvalidOperationException($"dotnet tool install {NotebookPaths.ToolPackage} {NotebookPaths.ToolVersion} failed:\n{result.Tail()}");
        return $"{NotebookPaths.ToolVersion} installed in {paths.ToolFolder}";
    }

    /// <summary>The FSharp.Core.dll inside the installed tool, or null when the tool is not installed.</summary>
    public static string? ToolFSharpCore(NotebookPaths paths)
    {
        var store = Path.Combine(paths.ToolFolder, ".store", NotebookPaths.ToolPackage.ToLowerInvariant(), NotebookPaths.ToolVersion);
        return Directory.Exists(store) ? Directory.EnumerateFiles(store, "FSharp.Core.dll", SearchOption.AllDirectories).FirstOrDefault() : null;
    }

    static string ReplaceFSharpCore(NotebookPaths paths)
    {
        var target = ToolFSharpCore(paths) ?? throw new InvalidOperationException($"no FSharp.Core.dll in {paths.ToolFolder}: the tool install is incomplete.");
        var source = Path.Combine(paths.LibraryFolder, "FSharp.Core.dll");
        var wanted = FileVersionInfo.GetVersionInfo(source).FileVersion;
        var had = FileVersionInfo.GetVersionInfo(target).FileVersion;
        if (had == wanted) return $"{wanted} already";
        File.Copy(source, target, overwrite: true);
        return $"{had} replaced by {wanted} (assembly {AssemblyName.GetAssemblyName(target).Version})";
    }

    static string RegisterKernel(NotebookPaths paths, bool userKernel)
    {
        var json = Kernelspec.Json(paths.ToolExecutable, Kernelspec.DotnetRoot());
        var folders = new List<string> { Path.Combine(paths.JupyterFolder, "kernels", NotebookPaths.KernelName) };
        if (userKernel) folders.Add(Path.Combine(Kernelspec.UserDataFolder(), "kernels", NotebookPaths.KernelName));
        foreach (var folder in folders) Sinks.AtomicFile.WriteAllText(Path.Combine(folder, "kernel.json"), json);
        return string.Join(", ", folders);
    }
}
