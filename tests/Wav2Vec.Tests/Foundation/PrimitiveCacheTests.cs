using Wav2Vec.Torch;

namespace Wav2Vec.Tests.Foundation;

/// <summary>
/// oneDNN keeps 1024 compiled primitives by default, too few for batches of many lengths; start-up raises the capacity
/// in the environment libtorch reads, unless the user named one.
/// </summary>
public sealed class PrimitiveCacheTests
{
    [Fact]
    public void StartUpRaisesThePrimitiveCacheUnlessTheEnvironmentNamesOne()
    {
        Assert.Equal("16384", TorchRuntime.PrimitiveCacheSetting(_ => null));
        Assert.Null(TorchRuntime.PrimitiveCacheSetting(name => name == "ONEDNN_PRIMITIVE_CACHE_CAPACITY" ? "1024" : null));
        Assert.Null(TorchRuntime.PrimitiveCacheSetting(name => name == "DNNL_PRIMITIVE_CACHE_CAPACITY" ? "1024" : null));
    }

    [Fact]
    public void AVariableSetForNativeCodeIsSeenByLibcsGetenv()
    {
        var name = $"WAV2VEC_TEST_{Guid.NewGuid():N}";
        Assert.Null(TorchRuntime.NativeEnvironment.Get(name));
        TorchRuntime.NativeEnvironment.Set(name, "2048");
        Assert.Equal("2048", TorchRuntime.NativeEnvironment.Get(name));
        Assert.Equal("2048", Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void AfterStartUpLibtorchsEnvironmentNamesACapacity()
    {
        TorchRuntime.Initialize();
        var capacity = TorchRuntime.NativeEnvironment.Get(TorchRuntime.PrimitiveCacheVariable)
                       ?? TorchRuntime.NativeEnvironment.Get("DNNL_PRIMITIVE_CACHE_CAPACITY");
        Assert.True(int.TryParse(capacity, out var entries) && entries > 0, $"capacity '{capacity}'");
    }
}
