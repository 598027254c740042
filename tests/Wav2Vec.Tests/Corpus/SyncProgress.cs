namespace Wav2Vec.Tests.Corpus;

/// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool after the run ended).</summary>
sealed class SyncProgress<T>(List<T> into) : IProgress<T>
{
    public void Report(T value)
    {
        lock (into) into.Add(value);
    }
}
