namespace Wav2Vec.Torch;

/// <summary>
/// Keeps TorchSharp 0.107's temporary <c>Scalar</c>s alive through the native calls that read them. TorchSharp
/// converts numbers to native scalars on the fly — the network's own arithmetic (<c>a + b</c> sends an alpha of 1),
/// <c>x.mul(0.5)</c>, AdamW's <c>addcmul</c> — and does not keep them alive during the call, so a garbage collection at
/// that moment can let the finalizer free one while libtorch still reads it: the call fails ("Expected false to be
/// true", or an assert in <c>c10/core/Scalar.h</c>) or the process aborts. With no collection inside the work, no such
/// scalar is freed early.
/// </summary>
public static class TorchSharpScalars
{
    /// <summary>
    /// Managed memory the work (and any thread beside it) may allocate with the collector held off: a Tiny fine-tuning
    /// update allocates ≈ 3.5 MB, a forward pass over a minute of audio less than 1 MB beside its result.
    /// </summary>
    const long NoCollectionBudget = 64L << 20;

    /// <summary>
    /// Runs <paramref name="work"/> with the garbage collector held off (<see cref="GC.TryStartNoGCRegion(long)"/>),
    /// so no collection, and no early finalization of a temporary scalar, happens during it. Starting the region costs
    /// one full collection (≈ 0.3 ms with a training process's heap). When no region can be started (one is already
    /// open: nested work runs inside the outer region) or the work allocates past the budget, it still runs, as before.
    /// </summary>
    public static T WithoutCollection<T>(Func<T> work)
    {
        var held = false;
        try
        {
            held = GC.TryStartNoGCRegion(NoCollectionBudget);
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            return work();
        }
        finally
        {
            if (held && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    }

    /// <summary><see cref="WithoutCollection{T}"/> for work without a result.</summary>
    public static void WithoutCollection(Action action) => WithoutCollection(() =>
    {
        action();
        return 0;
    });
}
