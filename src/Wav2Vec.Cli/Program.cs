using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Wav2Vec.Cli;

// Each verb lives in its own IVerb class under Verbs/; they are discovered here so adding a verb never
// touches this file.
// A point that `sweep --jobs` runs in its own process lays its lines out to the width that process was given.
SweepJobs.UseParentWidth();
var root = new RootCommand("wav2vec: self-supervised speech representation learning (wav2vec 2.0) with CTC fine-tuning.");
root.Options.Add(CliErrors.Verbose);
foreach (var verb in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .Select(t => (IVerb)Activator.CreateInstance(t)!)
             .OrderBy(v => v.Order))
    root.Subcommands.Add(verb.Build());
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction) return CliErrors.PrintUsage(parse);
// Every verb's failure ends here, so none prints a stack trace unless asked to.
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    CliErrors.Print(e, CliErrors.IsVerbose(parse));
    return e is UsageException ? CliErrors.Usage : CliErrors.Failure;
}
