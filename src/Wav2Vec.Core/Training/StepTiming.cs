namespace Wav2Vec.Training;

/// <summary>
/// Named boundaries inside a training step, for a profiler (<c>wav2vec bench --only train-profile</c>): the step,
/// the update and the network mark the end of each part, and a recorder installed on the calling thread gets the
/// marks. With none installed a mark is a null check, so the real step is what gets profiled, not a copy of it.
/// </summary>
public static class StepTiming
{
    /// <summary>Input cast and the conv blocks.</summary>
    public const string FeatureEncoder = "feature encoder";

    /// <summary>
    /// The masks and distractors a step draws before the network, then layer norm, projection and the mask embedding.
    /// </summary>
    public const string Projection = "projection and masking";

    /// <summary>Positional conv, the layers, and the cast of the network's outputs back to the weights' dtype.</summary>
    public const string Transformer = "transformer";

    /// <summary>Pre-training: project_hid, quantizer, project_q and the losses; CTC: lm_head and the CTC loss.</summary>
    public const string HeadsAndLoss = "heads and loss";

    /// <summary>The whole <c>loss.backward()</c> and the read of the loss.</summary>
    public const string Backward = "backward";

    /// <summary>Disposing a micro-batch's forward tensors.</summary>
    public const string Release = "release";

    /// <summary>The global gradient norm and the clipping.</summary>
    public const string Clipping = "gradient clipping";

    /// <summary>AdamW's step and the <c>zero_grad</c> before the forward pass.</summary>
    public const string OptimiserStep = "optimiser step";

    /// <summary>Every part, in step order.</summary>
    public static IReadOnlyList<string> Parts { get; } = [FeatureEncoder, Projection, Transformer, HeadsAndLoss, Backward, Release, Clipping, OptimiserStep];

    [ThreadStatic] static Action<string>? recorder;

    /// <summary>Marks the end of <paramref name="part"/> for the recorder of this thread, if any.</summary>
    public static void Mark(string part) => recorder?.Invoke(part);

    /// <summary>Sends this thread's marks to <paramref name="mark"/> until the result is disposed.</summary>
    public static IDisposable Record(Action<string> mark)
    {
        var previous = recorder;
        recorder = mark;
        return new Restore(previous);
    }

    sealed class Restore(Action<string>? previous) : IDisposable
    {
        public void Dispose() => recorder = previous;
    }
}
