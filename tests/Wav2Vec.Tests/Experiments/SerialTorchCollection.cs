namespace Wav2Vec.Tests.Experiments;

/// <summary>
/// Tests that compare runs bit for bit: libtorch's default generator is process-wide, so they must not run while
/// another test seeds or draws from it. xunit runs this collection alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchCollection
{
    public const string Name = "serial torch";
}
