namespace Wav2Vec.Errors;

/// <summary>
/// An error with what to do about it, in the words of the code that knows (an option that would avoid it, the command
/// that creates a missing file). <see cref="ErrorReport"/> reports the inner error with this hint.
/// </summary>
public sealed class HintedException(Exception inner, string hint) : Exception(inner.Message, inner)
{
    /// <summary>What to do.</summary>
    public string Hint { get; } = hint;
}
