using System.Text.Json;
using Wav2Vec.Bench;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Bench;

public class ForwardProfileTests
{
    [Fact]
    public void EveryConvBlockAndTransformerPartIsTimedAndTheirFlopsAddUpToTheWholePass()
    {
        var config = Wav2Vec2Presets.Tiny(vocabSize: 32);
        var dir = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}");
        try
        {
            using (var model = new Wav2Vec2ForCtc(config)) model.SavePretrained(dir);
            var options = new BenchOptions("tiny", Dtypes: ["fp32", "bf16"], Threads: 1).Quick();
            var profiles = ForwardProfiling.Measure(dir, options);

            Assert.Equal(["fp32", "bf16"], profiles.Keys);
            var samples = (long)(options.InferenceSeconds * 16000);
            string[] expected =
            [
                .. Enumerable.Range(0, config.NumFeatExtractLayers).Select(i => $"conv {i}"),
                "feature projection", "positional conv", "attention", "feed-forward", "norms and residuals", "lm_head",
            ];
            foreach (var profile in profiles.Values)
            {
                Assert.Equal(expected, profile.Parts.Select(p => p.Part));
                // Each FLOP of the layer-by-layer count belongs to exactly one part.
                Assert.Equal(FlopCount.Total(config, samples) / 1e9, profile.Parts.Sum(p => p.Gflop), 1e-9);
                Assert.Equal(0, profile.Parts.Single(p => p.Part == "norms and residuals").Gflop);
                Assert.All(profile.Parts, p => Assert.True(p.Ms.Median > 0, p.Part));
                Assert.True(profile.WholeMs.Median > 0);
                Assert.Equal(profile.Parts.Sum(p => p.Gflop) / 400 * 1000, profile.MsAtMatmulRate(400), 1e-9);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheReportGivesEachPartsShareRateAndTheFloorAtTheMatmulRate()
    {
        static Sample Ms(double median) => new(median, median, median, 1);
        var profile = new ForwardProfile([new PartTiming("conv 0", Ms(30), 6), new PartTiming("norms and residuals", Ms(10), 0)], Ms(45));
        var report = new BenchReport(new BenchOptions("base"), new Machine("test cpu", 2, [0.1, 0.1, 0.1], true, "1", false),
            new Dictionary<string, double> { ["bf16"] = 400 },
            new InferenceResult(10, 148, new Dictionary<string, Sample> { ["bf16"] = Ms(400), ["ort"] = Ms(600) }, null, null),
            null, null, null, null, 100, new Dictionary<string, ForwardProfile> { ["bf16"] = profile });

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        // 148 GFLOP at 400 GFLOP/s is 370 ms: 0.617 of ORT's 600 ms at best.
        Assert.Equal(370.0 / 600, root.GetProperty("ratio_bf16_to_ort_at_matmul_rate").GetDouble(), 1e-9);
        var bf16 = root.GetProperty("profile").GetProperty("bf16");
        Assert.Equal(40, bf16.GetProperty("sum_of_parts_ms").GetDouble(), 1e-9);
        Assert.Equal(15, bf16.GetProperty("ms_at_matmul_rate").GetDouble(), 1e-9);
        var conv = bf16.GetProperty("parts")[0];
        Assert.Equal(200, conv.GetProperty("gflops").GetDouble(), 1e-9);
        Assert.Equal(0.5, conv.GetProperty("fraction_of_matmul_rate").GetDouble(), 1e-9);
        Assert.Equal(0.75, conv.GetProperty("share_of_parts").GetDouble(), 1e-9);
        Assert.Equal(15, conv.GetProperty("ms_above_matmul_rate").GetDouble(), 1e-9);
        Assert.Equal(JsonValueKind.Null, bf16.GetProperty("parts")[1].GetProperty("fraction_of_matmul_rate").ValueKind);
        var text = report.ToText();
        Assert.Contains("bf16 at libtorch's bf16 matmul rate: 370.0 ms, 0.62× ORT at best", text);
        Assert.Contains("forward profile bf16: whole 45.0 ms", text);
    }
}
