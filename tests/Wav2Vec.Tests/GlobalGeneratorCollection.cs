namespace Wav2Vec.Tests;

/// <summary>
/// Tests that seed libtorch's process-wide generator and expect the same draws back. Other test classes draw from
/// that generator in parallel (weight initialisation, randn), so these run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "libtorch global generator";
}
