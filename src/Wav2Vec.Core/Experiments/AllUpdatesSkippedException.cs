namespace Wav2Vec.Experiments;

/// <summary>
/// A run reached its last update without applying one: every update had a non-finite loss or gradient and was
/// skipped, so the model is the one it started from and neither <c>best/</c> nor <c>final/</c> is written.
/// </summary>
public sealed class AllUpdatesSkippedException(string folder, long steps)
    : InvalidOperationException($"{folder}: all {steps} updates were skipped because the loss or the gradient was not finite; " +
                                "the model never changed, so neither best/ nor final/ was written")
{
    /// <summary>The run folder.</summary>
    public string Folder { get; } = folder;
}
