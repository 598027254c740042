using System.CommandLine;

namespace Wav2Vec.Cli;

/// <summary>A top-level command-line verb. Implementations are found by reflection in Program.cs.</summary>
public interface IVerb
{
    /// <summary>Position in <c>--help</c>; lower first.</summary>
    int Order => 100;

    /// <summary>The command with its options, arguments and action.</summary>
    Command Build();
}
