namespace Wav2Vec.Bench;

/// <summary>What the numbers were measured on: CPU, load and the memory/BLAS environment of the process.</summary>
/// <param name="Cpu">CPU model name (/proc/cpuinfo).</param>
/// <param name="Cores">Logical processors.</param>
/// <param name="LoadAverage">1, 5 and 15-minute load averages at the start (a busy machine slows everything).</param>
/// <param name="Bf16Hardware">The CPU has AVX512_BF16 or AMX-BF16.</param>
/// <param name="HugePages">THP_MEM_ALLOC_ENABLE as libtorch saw it.</param>
/// <param name="MklShim">LD_PRELOAD holds the MKL vendor-check shim.</param>
public sealed record Machine(string Cpu, int Cores, double[] LoadAverage, bool Bf16Hardware, string? HugePages, bool MklShim)
{
    /// <summary>This machine, now.</summary>
    public static Machine Current()
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        return new Machine(Field("model name"), Environment.ProcessorCount, LoadNow(), Torch.Precisions.CpuHasBf16(),
            Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE"),
            (Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "").Contains("mklshim", StringComparison.Ordinal));
    }

    /// <summary>The load averages now (empty where /proc/loadavg is absent).</summary>
    public static double[] LoadNow() => File.Exists("/proc/loadavg")
        ? [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]
        : [];

    /// <summary>Resident set size now and its peak (VmRSS, VmHWM), in MiB.</summary>
    public static (double Rss, double Peak) Memory()
    {
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
        double Kb(string key) => status.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
        return (Kb("VmRSS"), Kb("VmHWM"));
    }
}
