using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Torch;

/// <summary>Device choice as written in experiment descriptions and on the command line.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }

/// <summary>Resolves a <see cref="DeviceChoice"/> to a TorchSharp device.</summary>
public static class Devices
{
    /// <summary>Parses <c>auto|cpu|cuda</c> (case-insensitive); anything else is an error naming the value.</summary>
    public static DeviceChoice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda."),
    };

    /// <summary>auto = CUDA when available, else CPU; cuda without CUDA is an error saying how to get it.</summary>
    public static DeviceType ResolveType(DeviceChoice choice, bool cudaAvailable) => choice switch
    {
        DeviceChoice.Cpu => DeviceType.CPU,
        DeviceChoice.Cuda when cudaAvailable => DeviceType.CUDA,
        DeviceChoice.Cuda => throw new InvalidOperationException(
            "Device 'cuda' was asked for, but CUDA is not available: build with -p:TorchBackend=cuda on a machine " +
            "with an NVIDIA GPU and driver, or use --device cpu."),
        _ => cudaAvailable ? DeviceType.CUDA : DeviceType.CPU,
    };

    /// <summary>The device for <paramref name="choice"/> on this machine.</summary>
    public static Device Resolve(DeviceChoice choice)
    {
        TorchRuntime.Initialize();
        return torch.device(ResolveType(choice, torch.cuda.is_available()));
    }
}
