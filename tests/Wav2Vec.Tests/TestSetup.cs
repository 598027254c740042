using System.Runtime.CompilerServices;

namespace Wav2Vec.Tests;

static class TestSetup
{
    /// <summary>Tests run libtorch on one thread (two collapse under load on the 2-core CI machine).</summary>
    [ModuleInitializer]
    internal static void OneTorchThread()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Torch.TorchRuntime.ThreadsVariable)))
            Environment.SetEnvironmentVariable(Torch.TorchRuntime.ThreadsVariable, "1");
        // Before any test touches TorchSharp directly: oneDNN fixes its instruction set at its first kernel.
        Torch.TorchRuntime.CapOneDnnIsa();
    }
}
