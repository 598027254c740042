using System.Text.Json;
using System.Text.RegularExpressions;
using Wav2Vec.Tools.Notebooks;

namespace Wav2Vec.Tests.Tools;

public class NotebookHostTests
{
    static readonly NotebookPaths Paths = NotebookPaths.Find(AppContext.BaseDirectory);

    [Fact]
    public void KernelspecStartsThePrivateToolAsACSharpKernelOnLocalhostOnly()
    {
        using var spec = JsonDocument.Parse(Kernelspec.Json("/x/dotnet-interactive", "/usr/share/dotnet"));
        Assert.Equal(["/x/dotnet-interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-local-only"],
            spec.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("/usr/share/dotnet", spec.RootElement.GetProperty("env").GetProperty("DOTNET_ROOT").GetString());
        Assert.Equal("C#", spec.RootElement.GetProperty("language").GetString());
    }

    [Fact]
    public void NbconvertExecutesWithTheWav2VecKernelAndFailsOnCellErrors()
    {
        var args = NotebookRunner.NbconvertArguments("/n/00.ipynb", 120, "/out");
        Assert.Equal(["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=wav2vec-csharp",
            "--ExecutePreprocessor.timeout=120", "--output-dir", "/out", "/n/00.ipynb"], args);
        Assert.DoesNotContain("--allow-errors", args);
        Assert.Contains("--inplace", NotebookRunner.NbconvertArguments("/n/00.ipynb", 120, null));
    }

    [Fact]
    public void RunEnvironmentUsesAThrowawayHomeThisCheckoutsKernelAndTheSmokeSwitch()
    {
        var env = NotebookRunner.Environment(Paths, "/tmp/h", smoke: true);
        Assert.Equal("/tmp/h", env["HOME"]);
        Assert.Equal(Paths.JupyterFolder, env["JUPYTER_PATH"]);
        Assert.Equal("1", env[NotebookPaths.SmokeVariable]);
        Assert.Null(NotebookRunner.Environment(Paths, "/tmp/h", smoke: false)[NotebookPaths.SmokeVariable]);
    }

    [Fact]
    public void OnlyRunsWhoseOutputsAreCommittedAskForStaticChartImages()
    {
        Assert.Null(NotebookRunner.Environment(Paths, "/tmp/h", smoke: true)[NotebookPaths.StaticChartsVariable]);
        Assert.Equal("1", NotebookRunner.Environment(Paths, "/tmp/h", smoke: false, staticCharts: true)[NotebookPaths.StaticChartsVariable]);
    }

    [Fact]
    public void CellErrorKeepsTheFailingCellAndItsException()
    {
        var output = "[NbConvertApp] Converting\nlots of noise\nTraceback\nnbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:\n------------------\nthrow new Exception(\"boom\");\n------------------\nError: System.Exception: boom\n";
        var error = NotebookRunner.CellError(output);
        Assert.StartsWith("nbclient.exceptions.CellExecutionError", error);
        Assert.Contains("System.Exception: boom", error);
        Assert.DoesNotContain("noise", error);
    }

    [Fact]
    public void ACellThatRanOutOfTimeIsSaidSoWithTheHint()
    {
        var preview = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"['line {i}']"));
        var output = "[NbConvertApp] Converting\nTraceback (most recent call last):\n  File \"x.py\", line 1\n" +
                     "nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 600 seconds.\n" +
                     "The message was: Cell execution timed out.\nHere is a preview of the cell contents:\n-------------------\n" + preview + "\n-------------------\n";
        var error = NotebookRunner.CellError(output);
        Assert.StartsWith("nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 600 seconds.", error);
        Assert.EndsWith("give a larger --timeout.", error);
        Assert.DoesNotContain("Converting", error);
    }

    [Fact]
    public void RunningBeforeSetupSaysToRunSetup()
    {
        var empty = new NotebookPaths(Path.Combine(Path.GetTempPath(), "wav2vec-no-checkout"));
        var error = Assert.Throws<InvalidOperationException>(() => NotebookRunner.Run(empty, [], true, 10, false, _ => { }));
        Assert.Contains("./wav2vec notebooks setup", error.Message);
    }

    [Fact]
    public void PreludeReferencesOnlyAssembliesTheLibraryBuildShips()
    {
        var prelude = File.ReadAllText(Path.Combine(Paths.Notebooks, "setup.csx"));
        var references = Regex.Matches(prelude, "^#r \"\\.\\./artifacts/notebook-lib/(.+\\.dll)\"", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("Wav2Vec.Interactive.dll", references);
        Assert.All(references, dll => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, dll)), $"{dll} is not in a build output of the library"));
        Assert.Equal("artifacts/notebook-lib", Path.GetRelativePath(Paths.Root, Paths.LibraryFolder));
    }

    [Fact]
    public void EveryNotebookUsesTheKernelLoadsThePreludeAndTakesTheSharedParameters()
    {
        var notebooks = NotebookRunner.All(Paths);
        Assert.Contains(notebooks, n => Path.GetFileName(n) == "00-setup-check.ipynb");
        foreach (var notebook in notebooks)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(notebook));
            var name = Path.GetFileName(notebook);
            Assert.True(NotebookPaths.KernelName == doc.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString(), $"{name}: kernelspec");
            var code = doc.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.GetProperty("cell_type").GetString() == "code")
                .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString()))).ToList();
            Assert.True(code[0].StartsWith("#load \"setup.csx\""), $"{name}: first code cell must load the prelude");
            Assert.True(code.Any(c => c.Contains("NotebookParameters.")), $"{name}: no parameter cell takes the shared NotebookParameters");
        }
    }

    [Fact]
    public void MirrorCopiesOnlyChangedFilesAndReplacesThemByRename()
    {
        var source = Sinks.Reports.TempFolder();
        var target = Sinks.Reports.TempFolder();
        Directory.CreateDirectory(Path.Combine(source, "runtimes"));
        File.WriteAllText(Path.Combine(source, "a.dll"), "a1");
        File.WriteAllText(Path.Combine(source, "runtimes", "b.so"), "b1");
        Assert.Equal(2, NotebookSetup.Mirror(source, target));
        Assert.Equal(0, NotebookSetup.Mirror(source, target));

        var inode = new FileInfo(Path.Combine(target, "a.dll"));
        using var held = File.OpenRead(inode.FullName);
        File.WriteAllText(Path.Combine(source, "a.dll"), "a2 longer");
        Assert.Equal(1, NotebookSetup.Mirror(source, target));
        Assert.Equal("a2 longer", File.ReadAllText(Path.Combine(target, "a.dll")));
        Assert.Equal("a1", new StreamReader(held).ReadToEnd());
        Assert.Equal("b1", File.ReadAllText(Path.Combine(target, "runtimes", "b.so")));
        Assert.Equal(["a.dll", "runtimes"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
