using System.CommandLine;
using System.Reflection;
using Wav2Vec.Cli;

// Each verb lives in its own IVerb class under Verbs/; they are discovered here so adding a verb never
// touches this file.
var root = new RootCommand("wav2vec: self-supervised speech representation learning (wav2vec 2.0) with CTC fine-tuning.");
foreach (var verb in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .Select(t => (IVerb)Activator.CreateInstance(t)!)
             .OrderBy(v => v.Order))
    root.Subcommands.Add(verb.Build());
return await root.Parse(args).InvokeAsync();
