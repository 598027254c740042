using System.CommandLine;
using Wav2Vec.Tools.Notebooks;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec notebooks setup|run</c>: set up the Jupyter kernel and library for notebooks, and execute notebooks headless.</summary>
public sealed class NotebooksVerb : IVerb
{
    public int Order => 80;

    public Command Build()
    {
        var command = new Command("notebooks", "Set up the C# notebook kernel (Jupyter, VS Code) and run notebooks headless.");
        command.Subcommands.Add(Setup());
        command.Subcommands.Add(Run());
        return command;
    }

    static Command Setup()
    {
        var noUser = new Option<bool>("--no-user-kernel") { Description = "Register the kernelspec only inside this checkout (artifacts/), not in ~/.local/share/jupyter." };
        var setup = new Command("setup", $"Install Jupyter (apt) if missing, build the notebook library, install a private dotnet-interactive {NotebookPaths.ToolVersion} with FSharp.Core 10.1, register the '{NotebookPaths.KernelName}' kernel.");
        setup.Options.Add(noUser);
        setup.SetAction(parse => Guarded(() =>
        {
            var paths = NotebookPaths.Find();
            var steps = NotebookSetup.Run(paths, Console.WriteLine, userKernel: !parse.GetValue(noUser));
            Console.WriteLine($"notebooks setup: done in {steps.Sum(s => s.Elapsed.TotalSeconds):F1} s. Jupyter: pick the kernel 'C# (wav2vec)'; headless: ./wav2vec notebooks run");
            return 0;
        }));
        return setup;
    }

    static Command Run()
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "Notebook files (default: every notebooks/*.ipynb).", Arity = ArgumentArity.ZeroOrMore };
        var smoke = new Option<bool>("--smoke") { Description = $"Smoke sizes: sets {NotebookPaths.SmokeVariable}=1 for the notebooks' parameter cells." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one cell may take.", DefaultValueFactory = _ => 600 };
        var inPlace = new Option<bool>("--in-place") { Description = $"Write outputs back into the notebooks (to commit them) instead of artifacts/notebooks/executed/; sets {NotebookPaths.StaticChartsVariable}=1, so charts also carry a static PNG image (needs chromium)." };
        var noBuild = new Option<bool>("--no-build") { Description = "Do not rebuild the notebook library first." };
        var run = new Command("run", "Execute notebooks top to bottom with jupyter nbconvert in the wav2vec kernel; fails on any cell error.");
        run.Arguments.Add(notebooks);
        foreach (var option in new Option[] { smoke, timeout, inPlace, noBuild }) run.Options.Add(option);
        run.SetAction(parse => Guarded(() =>
        {
            var paths = NotebookPaths.Find();
            var files = parse.GetValue(notebooks) is { Length: > 0 } given ? given : NotebookRunner.All(paths);
            if (!parse.GetValue(noBuild)) NotebookSetup.BuildLibrary(paths);
            var results = NotebookRunner.Run(paths, files, parse.GetValue(smoke), parse.GetValue(timeout), parse.GetValue(inPlace), Console.WriteLine);
            var failed = results.Count(r => !r.Passed);
            Console.WriteLine($"notebooks: {results.Count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }));
        return run;
    }

    /// <summary>Setup problems (no Jupyter, a failed build, no checkout) as one message and exit code 1, not a stack trace.</summary>
    static int Guarded(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"notebooks: {e.Message}");
            return 1;
        }
    }
}
