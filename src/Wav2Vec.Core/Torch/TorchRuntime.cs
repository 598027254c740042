using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Torch;

/// <summary>
/// The one place for TorchSharp start-up quirks: loading the native shim with an honest error, the thread
/// count (<c>WAV2VEC_THREADS</c>) and seeding. Call <see cref="Initialize"/> before the first tensor.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable that sets libtorch's intra-op thread count.</summary>
    public const string ThreadsVariable = "WAV2VEC_THREADS";

    /// <summary>
    /// The libstdc++ symbol version TorchSharp 0.107's native shim asks for and older distributions (Debian 12) lack;
    /// the build marks that requirement weak in its outputs (<c>build/LibTorchSharpPatch.cs</c>).
    /// </summary>
    public const string ShimLibStdCxxVersion = "GLIBCXX_3.4.32";

    static readonly object Gate = new();
    static bool initialized;

    /// <summary>Where TorchSharp looks first for <c>libLibTorchSharp.so</c>: beside TorchSharp.dll.</summary>
    public static string NativeFolder => Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <summary>Path of the native shim TorchSharp will load, or null when it is not beside TorchSharp.dll.</summary>
    public static string? NativeLibraryPath
    {
        get
        {
            var path = Path.Combine(NativeFolder, "libLibTorchSharp.so");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>
    /// Loads libtorch, sets the thread count from <c>WAV2VEC_THREADS</c> (else <paramref name="defaultThreads"/>,
    /// else every core) and returns the thread count in force. Throws <see cref="TorchLoadException"/> naming
    /// the real cause when the native library cannot load. Idempotent.
    /// </summary>
    public static int Initialize(int? defaultThreads = null)
    {
        lock (Gate)
        {
            if (!initialized)
            {
                CapOneDnnIsa();
                PreloadNative();
                initialized = true;
            }
            var threads = ThreadsFromEnvironment() ?? defaultThreads ?? Environment.ProcessorCount;
            torch.set_num_threads(threads);
            return threads;
        }
    }

    /// <summary>Thread count requested through <c>WAV2VEC_THREADS</c>, if any; a bad value is an error naming the variable.</summary>
    public static int? ThreadsFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text, out var n) && n > 0) return n;
        throw new ArgumentException($"{ThreadsVariable}='{text}' is not a positive whole number of threads.");
    }

    /// <summary>Seeds libtorch's CPU (and CUDA, when present) generators.</summary>
    public static void Seed(long seed)
    {
        Initialize();
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>oneDNN's environment variable capping the instruction set its CPU kernels use.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>
    /// True when oneDNN's AVX-512 kernels must be avoided: on AMD processors with AVX-512 (EPYC Zen 4), libtorch
    /// 2.10's oneDNN computes some strided conv1d shapes wrongly (24 → 24 channels, kernel 3, stride 2 over 1000
    /// frames: max error 15, a wrong model output with no error at all), and capping it at AVX2 gives correct results.
    /// </summary>
    public static bool NeedsOneDnnIsaCap(string cpuinfo) =>
        cpuinfo.Contains("AuthenticAMD", StringComparison.Ordinal) && cpuinfo.Contains(" avx512f", StringComparison.Ordinal);

    static void PreloadNative()
    {
        var path = NativeLibraryPath;
        if (path is null || !OperatingSystem.IsLinux()) return; // TorchSharp's own search takes over.
        try
        {
            NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new TorchLoadException(Diagnose(path, e.Message), e);
        }
    }

    /// <summary>
    /// Sets <see cref="OneDnnIsaVariable"/> to AVX2 for the native code where <see cref="NeedsOneDnnIsaCap"/>, unless
    /// the user chose a value. oneDNN reads it with getenv when it first runs a kernel, which
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach, hence libc's setenv; so it must
    /// run before the first tensor operation (<see cref="Initialize"/> calls it). Idempotent.
    /// </summary>
    public static void CapOneDnnIsa()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(OneDnnIsaVariable) is not null
            || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        try
        {
            if (!NeedsOneDnnIsaCap(File.ReadAllText("/proc/cpuinfo"))) return;
            SetEnv(OneDnnIsaVariable, "AVX2", 0);
            Environment.SetEnvironmentVariable(OneDnnIsaVariable, "AVX2");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Without /proc/cpuinfo or libc's setenv nothing can be capped; the conv1d parity test tells whether it matters.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>
    /// A sentence naming why <paramref name="path"/> failed to load, with the fix. The dynamic loader names the library
    /// that asked for a missing symbol version (<c>version `V' not found (required by FILE)</c>), so the message alone
    /// tells an unpatched shim from another library's need.
    /// </summary>
    public static string Diagnose(string path, string loaderMessage)
    {
        if (loaderMessage.Contains($"`{ShimLibStdCxxVersion}' not found (required by {path})", StringComparison.Ordinal))
            return $"{path} requires {ShimLibStdCxxVersion}, which the system libstdc++ lacks, and the build did not mark that " +
                   "requirement weak. Rebuild with `dotnet build` (the build patches its outputs), or load the " +
                   $"library from a build output folder. Loader said: {loaderMessage}";
        return $"libtorch failed to load from {path}. Loader said: {loaderMessage}";
    }
}

/// <summary>libtorch or TorchSharp's native shim could not be loaded; the message names the real cause.</summary>
public sealed class TorchLoadException(string message, Exception inner) : Exception(message, inner);
