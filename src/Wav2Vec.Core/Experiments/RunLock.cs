using System.Diagnostics;
using System.Globalization;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// A run's claim on its folder, held from start to end: an exclusive lock on <c>run.lock</c> taken by the operating
/// system (a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>, flock(2) on Linux), so a second run of
/// the same folder fails at once instead of interleaving its logs and checkpoints with the first. The lock goes with
/// the process: a run killed by any signal releases it, and the holder file it leaves behind (<c>run.holder</c>: pid,
/// host, start time) only names the last holder, it never blocks anyone.
/// </summary>
public sealed class RunLock : IDisposable
{
    readonly FileStream stream;

    RunLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock on <paramref name="folder"/> (created when missing) and records this process as its holder.</summary>
    /// <exception cref="RunFolderInUseException">Another process holds the lock; the message names it from the holder file.</exception>
    public static RunLock Acquire(RunFolder folder)
    {
        Directory.CreateDirectory(folder.Path);
        FileStream stream;
        try
        {
            stream = new FileStream(folder.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new RunFolderInUseException(folder.Path, ReadHolder(folder), e);
        }
        try
        {
            using var self = Process.GetCurrentProcess();
            AtomicFile.WriteAllText(folder.Holder,
                $"pid {Environment.ProcessId} on {Environment.MachineName} since {self.StartTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC\n");
            return new RunLock(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>What the holder file says, or a note that it says nothing (the holder is still starting, or it was removed).</summary>
    static string ReadHolder(RunFolder folder)
    {
        try
        {
            return File.Exists(folder.Holder) && File.ReadAllText(folder.Holder).Trim() is { Length: > 0 } text
                ? text
                : "a process that has not written run.holder yet";
        }
        catch (IOException)
        {
            return "a process whose run.holder cannot be read";
        }
    }

    /// <summary>Releases the lock; the holder file stays as a record of the last run.</summary>
    public void Dispose() => stream.Dispose();
}

/// <summary>Another run holds the run folder's lock (<see cref="RunLock"/>); the message names the folder and the holder.</summary>
public sealed class RunFolderInUseException(string folder, string holder, Exception? inner = null)
    : IOException($"{folder}: run folder is in use by {holder}", inner)
{
    /// <summary>The run folder.</summary>
    public string Folder { get; } = folder;
}
