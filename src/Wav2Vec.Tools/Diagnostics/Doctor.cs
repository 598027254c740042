using System.Runtime.InteropServices;
using Wav2Vec.Corpus;
using Wav2Vec.Tools.Native;
using Wav2Vec.Torch;
using TorchSharp;

namespace Wav2Vec.Tools.Diagnostics;

/// <summary>One line of the health report: what was checked, what was found, and whether it is fine.</summary>
public sealed record Check(string Name, string Value, bool Healthy = true);

/// <summary>A health report on the runtime, libtorch and the tools the default corpus needs.</summary>
public sealed record DoctorReport(IReadOnlyList<Check> Checks)
{
    /// <summary>True when libtorch ran a tensor operation (the only check that fails the report).</summary>
    public bool TorchWorks => Checks.Where(c => c.Name == "tensor operation").All(c => c.Healthy);
}

/// <summary>Builds the <see cref="DoctorReport"/> printed by <c>./wav2vec doctor</c>.</summary>
public static class Doctor
{
    /// <summary>TTS engines the default corpus can use, with the Debian package that provides each.</summary>
    public static readonly IReadOnlyList<(string Command, string Package)> TtsEngines =
        [("espeak-ng", "espeak-ng"), ("flite", "flite"), ("festival", "festival"), ("sox", "sox")];

    /// <summary>Runs every check; never throws.</summary>
    public static DoctorReport Run()
    {
        var checks = new List<Check>
        {
            new(".NET", RuntimeInformation.FrameworkDescription),
            new("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            new("TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString() ?? "?"),
        };
        checks.AddRange(NativeChecks());
        checks.AddRange(TorchChecks());
        foreach (var (command, package) in TtsEngines)
        {
            var path = ExternalProcess.Which(command);
            checks.Add(new($"tool {command}", path ?? $"not installed (apt-get install {package})", path is not null));
        }
        return new DoctorReport(checks);
    }

    static IEnumerable<Check> NativeChecks()
    {
        var provides = ElfVersionPatch.SystemLibStdCxxProvides(ElfVersionPatch.MissingVersion);
        yield return new("libstdc++ " + ElfVersionPatch.MissingVersion, provides ? "provided" : "missing (patch needed)");
        var path = TorchRuntime.NativeLibraryPath;
        if (path is null)
        {
            yield return new("libLibTorchSharp.so", $"not beside TorchSharp.dll in {TorchRuntime.NativeFolder}", false);
            yield break;
        }
        var weak = ElfVersionPatch.IsSatisfiedOrWeak(path, ElfVersionPatch.MissingVersion);
        yield return new("libLibTorchSharp.so", $"{path} ({(weak ? "requirement weak" : "requirement strict")})", provides || weak);
    }

    static IEnumerable<Check> TorchChecks()
    {
        var checks = new List<Check>();
        try
        {
            var threads = TorchRuntime.Initialize();
            checks.Add(new("libtorch", torch.__version__));
            checks.Add(new("threads", $"{threads} (of {Environment.ProcessorCount} cores; set {TorchRuntime.ThreadsVariable} to change)"));
            checks.Add(new("CUDA", torch.cuda.is_available() ? $"available, {torch.cuda.device_count()} device(s)" : "not available"));
            checks.Add(new("device (auto)", Devices.Resolve(DeviceChoice.Auto).ToString()));
            using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
            using var b = a.matmul(a.T);
            var value = b[1, 1].item<float>();
            checks.Add(new("tensor operation", value == 50f ? "ok (2×3 matmul)" : $"wrong result {value}", value == 50f));
            using var bf = a.to(torch.bfloat16).matmul(a.T.to(torch.bfloat16));
            checks.Add(new("bfloat16 matmul", bf[1, 1].to(torch.float32).item<float>() == 50f ? "ok" : "inexact"));
        }
        catch (Exception e)
        {
            checks.Add(new("tensor operation", $"failed: {e.GetBaseException().Message}", false));
        }
        return checks;
    }
}
