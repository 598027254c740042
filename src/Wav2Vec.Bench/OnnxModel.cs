using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Wav2Vec.Bench;

/// <summary>Whether ONNX Runtime can run the comparison, and why not.</summary>
/// <param name="Session">The loaded model, or null.</param>
/// <param name="Reason">Why the comparison is unavailable (one line with a hint), or null when it is available.</param>
public sealed record OnnxAvailability(OnnxModel? Session, string? Reason);

/// <summary>
/// The same network in ONNX Runtime: an ONNX file exported from the bench's own weights by
/// <c>benchmarks/export_onnx.py</c> (torchaudio's implementation, Debian's python3-torch), run on the CPU with the
/// same thread count as libtorch.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    readonly InferenceSession session;

    OnnxModel(InferenceSession session) => this.session = session;

    /// <summary>
    /// Loads <paramref name="onnxPath"/>, first exporting it from the Hugging Face directory <paramref name="modelDir"/>
    /// with <paramref name="script"/> when it is missing. Never throws: a missing Python, package, script or native
    /// library comes back as a reason.
    /// </summary>
    public static OnnxAvailability Open(string onnxPath, string modelDir, string? script, string python, int threads)
    {
        if (!File.Exists(onnxPath))
        {
            if (script is null || !File.Exists(script))
                return new(null, $"{onnxPath} is missing and the export script benchmarks/export_onnx.py was not found; pass --onnx FILE");
            var failure = Export(script, python, modelDir, onnxPath);
            if (failure is not null) return new(null, failure);
        }
        try
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = threads, InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            return new(new OnnxModel(new InferenceSession(onnxPath, options)), null);
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return new(null, $"ONNX Runtime could not load {onnxPath}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>Runs the export script; null on success, else why it failed (with the hint the script printed).</summary>
    static string? Export(string script, string python, string modelDir, string onnxPath)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--model", modelDir, "--out", onnxPath }) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0 && File.Exists(onnxPath)) return null;
            var last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
            return $"exporting {onnxPath} with {python} failed: {last}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{python} was not found, so no ONNX file can be exported (Debian: apt-get install python3-torch python3-torchaudio), or pass --onnx FILE";
        }
    }

    /// <summary>Logits [frames × vocab] (row-major) and their shape for a mono waveform.</summary>
    public (float[] Logits, int[] Shape) Run(float[] waveform)
    {
        var input = new DenseTensor<float>(waveform, [1, waveform.Length]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("waveform", input)]);
        var output = results.First().AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }

    public void Dispose() => session.Dispose();
}
