namespace Wav2Vec.Ctc;

/// <summary>
/// How long audio is cut for inference, so memory stays bounded whatever the length (self-attention over T frames
/// costs heads × T² floats). Audio up to <paramref name="WindowSeconds"/> runs in one pass, exactly as without
/// windows; longer audio runs in windows of that length, each keeping the frames of its middle and seeing at least
/// <paramref name="ContextSeconds"/> of audio on each side of every frame it keeps (except at the ends of the file).
/// </summary>
/// <param name="WindowSeconds">Audio per forward pass (30 s: activations estimated at most 0.3 GB for Tiny, 0.11 GB measured; 1.1 GB estimated for BASE).</param>
/// <param name="ContextSeconds">Audio each kept frame sees on either side; the window advances by Window − 2 × Context.</param>
public sealed record WindowOptions(double WindowSeconds = 30, double ContextSeconds = 5)
{
    /// <summary>30 s windows with 5 s of context: files up to 30 s in one pass, longer ones in 20 s steps.</summary>
    public static WindowOptions Default { get; } = new();
}

/// <summary>
/// One forward pass of a windowed inference, in encoder frames of the whole file: the pass reads frames
/// [<paramref name="Start"/>, <paramref name="End"/>) (samples <c>Start·stride</c> up to <c>(End − 1)·stride + field</c>),
/// and its outputs for frames [<paramref name="KeepFrom"/>, <paramref name="KeepTo"/>) go into the result.
/// </summary>
public sealed record InferenceWindow(long Start, long End, long KeepFrom, long KeepTo);

/// <summary>
/// The stitching rule of windowed inference, as a pure function of the length. An encoder frame t depends on samples
/// [t·stride, t·stride + field), so a pass that starts at sample <c>Start·stride</c> produces exactly the frames
/// Start, Start + 1, … of the whole file (same receptive fields, nothing shifted). Windows are all the same length
/// W frames; the kept ranges tile [0, T) in order, each seam sits at least C frames (the context) inside both windows
/// that meet there, and the first window keeps from frame 0, the last up to frame T.
/// </summary>
public static class InferenceWindows
{
    /// <summary>Frames of <paramref name="samples"/> samples for a feature encoder with this stride and receptive field.</summary>
    public static long Frames(long samples, long stride, long field) => samples < field ? 0 : (samples - field) / stride + 1;

    /// <summary>
    /// The passes for <paramref name="samples"/> samples at <paramref name="sampleRate"/> Hz: one window over everything
    /// when the audio fits in one, otherwise windows of equal length whose kept ranges tile the frames.
    /// </summary>
    public static IReadOnlyList<InferenceWindow> Plan(long samples, long stride, long field, WindowOptions options, int sampleRate = 16_000)
    {
        var frames = Frames(samples, stride, field);
        var window = Math.Max(1, Frames((long)(options.WindowSeconds * sampleRate), stride, field));
        var context = (long)Math.Ceiling(options.ContextSeconds * sampleRate / stride);
        var step = window - 2 * context;
        if (step < 1)
            throw new ArgumentException($"windows of {options.WindowSeconds} s leave no frames to keep after {options.ContextSeconds} s of context on each side.",
                nameof(options));
        if (frames <= window) return [new InferenceWindow(0, frames, 0, frames)];
        var windows = new List<InferenceWindow>();
        for (long keepFrom = 0, keepTo = window - context; ; keepFrom = keepTo, keepTo += step)
        {
            // The window that can see the end of the file with its right context keeps everything up to it.
            var last = keepTo + context >= frames;
            var start = Math.Min(Math.Max(0, keepFrom - context), frames - window);
            windows.Add(new InferenceWindow(start, start + window, keepFrom, last ? frames : keepTo));
            if (last) return windows;
        }
    }

    /// <summary>The samples [first, end) a pass over <paramref name="window"/> reads.</summary>
    public static (long First, long End) Samples(InferenceWindow window, long stride, long field) =>
        (window.Start * stride, (window.End - 1) * stride + field);
}
