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

    /// <summary>
    /// oneDNN's variable for how many compiled primitives it keeps (its default, 1024, and the older
    /// <c>DNNL_PRIMITIVE_CACHE_CAPACITY</c> name are read the same way).
    /// </summary>
    public const string PrimitiveCacheVariable = "ONEDNN_PRIMITIVE_CACHE_CAPACITY";

    /// <summary>
    /// The primitive cache capacity set at start-up when the environment names none. Batches of different lengths give
    /// the bf16 products new shapes, and oneDNN compiles a primitive for each shape it has not kept: with 1024 a Tiny
    /// fine-tuning on 1 h recompiles most of them every epoch (12 % of its profile); with 16384 the same run takes
    /// ≈ 10 % less time for ≈ 1 GB more resident memory, with the same numbers (docs/performance.md).
    /// </summary>
    public const int PrimitiveCacheCapacity = 16384;

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
                // oneDNN reads it once, at its first primitive: before any tensor.
                if (PrimitiveCacheSetting(NativeEnvironment.Get) is { } capacity) NativeEnvironment.Set(PrimitiveCacheVariable, capacity);
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

    /// <summary>
    /// The primitive cache capacity to set in the process environment, or null when <paramref name="environment"/>
    /// already names one (under either of oneDNN's names), so a capacity chosen by the user stays in force.
    /// </summary>
    public static string? PrimitiveCacheSetting(Func<string, string?> environment) =>
        environment(PrimitiveCacheVariable) is null && environment("DNNL_PRIMITIVE_CACHE_CAPACITY") is null
            ? PrimitiveCacheCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The process environment native libraries read (libc's <c>getenv</c>/<c>setenv</c>): on Linux .NET keeps its own
    /// copy, so <see cref="Environment.SetEnvironmentVariable(string, string)"/> would not reach libtorch.
    /// </summary>
    public static class NativeEnvironment
    {
        [DllImport("libc", EntryPoint = "getenv")]
        static extern IntPtr GetEnv(string name);

        [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
        static extern int SetEnv(string name, string value, int overwrite);

        /// <summary>The variable's value as native code sees it; null when unset.</summary>
        public static string? Get(string name) =>
            OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(GetEnv(name)) : Environment.GetEnvironmentVariable(name);

        /// <summary>Sets the variable for native code (and for this process's .NET view of it).</summary>
        public static void Set(string name, string value)
        {
            if (OperatingSystem.IsLinux() && SetEnv(name, value, 1) != 0)
                throw new InvalidOperationException($"setenv {name}={value} failed (errno {Marshal.GetLastPInvokeError()}).");
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Seeds libtorch's CPU (and CUDA, when present) generators.</summary>
    public static void Seed(long seed)
    {
        Initialize();
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

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
