using System.Runtime.InteropServices;

namespace Wav2Vec.IO;

/// <summary>What a path names, told apart before the path is opened: opening a FIFO blocks until a writer appears.</summary>
public enum FileKind
{
    /// <summary>Nothing exists there.</summary>
    Missing,
    /// <summary>A regular file (after following symbolic links).</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A character or block device, or a socket.</summary>
    Device,
}

/// <summary>File-type checks that .NET does not offer (it reports a FIFO as an ordinary file).</summary>
public static class FileKinds
{
    /// <summary>The kind of file <paramref name="path"/> names, following symbolic links.</summary>
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!File.Exists(path)) return FileKind.Missing;
        if (!OperatingSystem.IsLinux()) return FileKind.Regular;
        return (StatMode(path) & 0xF000) switch
        {
            0x8000 or -1 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Device,
        };
    }

    /// <summary>How to say what <paramref name="kind"/> is in an error message (<c>a FIFO (named pipe)</c>).</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        _ => "a device or socket",
    };

    /// <summary>
    /// <c>st_mode</c> of stat(2) on Linux, or −1 when it cannot be read. The offset of <c>st_mode</c> in
    /// <c>struct stat</c> is 24 on x86-64 and 16 on arm64 (the generic layout); other architectures answer −1.
    /// </summary>
    static int StatMode(string path)
    {
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0) return -1;
        var buffer = Marshal.AllocHGlobal(256);
        try
        {
            return Stat(path, buffer) == 0 ? Marshal.ReadInt32(buffer, offset) : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    [DllImport("libc.so.6", EntryPoint = "stat")]
    static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint buffer);
}
