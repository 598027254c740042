using Wav2Vec.Tools.Native;
using Wav2Vec.Torch;
using TorchSharp;

namespace Wav2Vec.Tests.Foundation;

public class NativeLibraryTests
{
    [Fact]
    public void LibtorchLoadsInsideTheTestHostAndRunsATensorOperation()
    {
        TorchRuntime.Initialize();
        using var x = torch.ones(3, 4);
        Assert.Equal(12f, x.sum().item<float>());
    }

    [Fact]
    public void TestOutputCopyOfTheShimIsLoadableOnThisSystem()
    {
        var path = TorchRuntime.NativeLibraryPath;
        Assert.NotNull(path);
        Assert.True(ElfVersionPatch.SystemLibStdCxxProvides(ElfVersionPatch.MissingVersion)
                    || ElfVersionPatch.IsSatisfiedOrWeak(path!, ElfVersionPatch.MissingVersion),
            $"{path} still strictly requires {ElfVersionPatch.MissingVersion}");
    }

    [Fact]
    public void PatchMarksTheRequirementWeakExactlyOnceAndTouchesNothingElse()
    {
        var source = PristineShim();
        var copy = Path.Combine(Path.GetTempPath(), $"shim-{Guid.NewGuid():N}.so");
        File.Copy(source, copy);
        try
        {
            var before = File.ReadAllBytes(copy);
            Assert.False(ElfVersionPatch.IsSatisfiedOrWeak(copy, ElfVersionPatch.MissingVersion));
            Assert.Equal(ElfVersionPatch.Result.Patched, ElfVersionPatch.MakeVersionWeak(copy, ElfVersionPatch.MissingVersion));
            Assert.True(ElfVersionPatch.IsSatisfiedOrWeak(copy, ElfVersionPatch.MissingVersion));
            Assert.Equal(ElfVersionPatch.Result.AlreadyWeak, ElfVersionPatch.MakeVersionWeak(copy, ElfVersionPatch.MissingVersion));
            var after = File.ReadAllBytes(copy);
            Assert.Equal(before.Length, after.Length);
            var changed = Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]);
            Assert.Equal(1, changed); // one flag bit in one byte of vna_flags
        }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void PatchLeavesNonElfFilesAndAbsentVersionsAlone()
    {
        var text = Path.Combine(Path.GetTempPath(), $"not-elf-{Guid.NewGuid():N}.so");
        File.WriteAllText(text, "not an ELF file at all, just some text long enough to pass the header length check.....");
        try { Assert.Equal(ElfVersionPatch.Result.NotElf, ElfVersionPatch.MakeVersionWeak(text, ElfVersionPatch.MissingVersion)); }
        finally { File.Delete(text); }
        Assert.Equal(ElfVersionPatch.Result.NotRequired,
            ElfVersionPatch.MakeVersionWeak(CopyOf(PristineShim()), "GLIBCXX_99.99.99"));
    }

    [Fact]
    public void BuildNeverModifiesTheNuGetCache()
    {
        Assert.False(ElfVersionPatch.IsSatisfiedOrWeak(PristineShim(), ElfVersionPatch.MissingVersion));
    }

    [Fact]
    public void DiagnosisNamesTheMissingVersionInsteadOfTorchSharpsMisleadingMessage()
    {
        const string shim = "/out/libLibTorchSharp.so";
        var message = TorchRuntime.Diagnose(shim,
            $"{shim}: /lib/x86_64-linux-gnu/libstdc++.so.6: version `{ElfVersionPatch.MissingVersion}' not found (required by {shim})");
        Assert.StartsWith($"{shim} requires {ElfVersionPatch.MissingVersion}, which the system libstdc++ lacks", message);
        Assert.Contains("dotnet build", message);
        Assert.DoesNotContain("doesn't contain a reference", message);
    }

    [Fact]
    public void DiagnosisBlamesTheShimOnlyWhenTheLoaderSaysTheShimAskedForTheVersion()
    {
        const string shim = "/out/libLibTorchSharp.so";
        var loader = $"/lib/x86_64-linux-gnu/libstdc++.so.6: version `{ElfVersionPatch.MissingVersion}' not found (required by /out/libtorch_cpu.so)";
        Assert.Equal($"libtorch failed to load from {shim}. Loader said: {loader}", TorchRuntime.Diagnose(shim, loader));
    }

    [Fact]
    public void TheBuildPatchAndTheRuntimeDiagnosisNameTheSameVersion() =>
        Assert.Equal(ElfVersionPatch.MissingVersion, TorchRuntime.ShimLibStdCxxVersion);

    static string CopyOf(string path)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"shim-{Guid.NewGuid():N}.so");
        File.Copy(path, copy);
        return copy;
    }

    /// <summary>The shim as shipped in the NuGet package (read only).</summary>
    static string PristineShim()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp package not found at {path}");
        return path;
    }
}
