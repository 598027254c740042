namespace Wav2Vec.Tests.Reliability;

/// <summary>
/// Tests that allocate heavily (fuzzing, model builds, long waveforms) run alone, after the parallel ones. TorchSharp
/// 0.107 frees implicitly converted <c>Scalar</c>s in finalizers, so a garbage collection another test provokes can
/// free a Scalar a native call is still reading; in full parallel runs this showed as "Expected false to be true"
/// from c10::Scalar::toFloat inside Adam's step, or as a segfault in libtorch_cpu.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "allocation-heavy, run alone";
}
