namespace Wav2Vec.Tests;

/// <summary>
/// Tests that hold the process-wide garbage collector in a no-GC region and check it: other test classes allocating in
/// parallel can end the region early, so these run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideGcCollection
{
    public const string Name = "process-wide garbage collector";
}
