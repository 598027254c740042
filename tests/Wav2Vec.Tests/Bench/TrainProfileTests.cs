using System.Text.Json;
using Wav2Vec.Bench;

namespace Wav2Vec.Tests.Bench;

/// <summary>
/// Compares the sum of separately timed parts with the whole step, so it runs alone: beside parallel tests on two cores
/// one side can be slowed and not the other (a CI run measured parts 92.7 ms against a whole step of 187.4 ms).
/// </summary>
[Collection(Wav2Vec.Tests.Reliability.AloneCollection.Name)]
public class TrainProfileTests
{
    static readonly string[] Parts =
        ["feature encoder", "projection and masking", "transformer", "heads and loss", "backward", "release", "gradient clipping", "optimiser step"];

    [Fact]
    public void BothTrainingStepsAreSplitIntoEveryPartAndThePartsAddUpToTheWholeStepInTheReport()
    {
        // One warm-up round, so that first-call costs (AdamW's moment buffers, kernel set-up) fall in neither side, and
        // medians of three rounds, so that one stall of a shared machine moves neither the parts' sum nor the whole step.
        var options = new BenchOptions("tiny", Dtypes: ["fp32", "bf16"], Threads: 1).Quick() with { Warmup = 1, TrainingRounds = 3 };
        var profile = TrainProfiling.Measure(options.Config, options);

        foreach (var (objective, byDtype) in new[] { ("pre-training", profile.Pretraining), ("CTC", profile.Ctc) })
        {
            Assert.Equal(["fp32", "bf16"], byDtype.Keys);
            foreach (var (dtype, step) in byDtype)
            {
                Assert.Equal(Parts, step.Parts.Select(p => p.Part));
                Assert.All(step.Parts, p => Assert.True(p.Ms.Median > 0, $"{objective} {dtype} {p.Part}"));
                Assert.True(step.WholeMs.Median > 0);
                var ratio = step.SumMs / step.WholeMs.Median;
                Assert.True(ratio is > 0.5 and < 2, $"{objective} {dtype}: parts sum to {step.SumMs:F1} ms, whole step {step.WholeMs.Median:F1} ms");
            }
        }

        var report = new BenchReport(options, new Machine("test cpu", 2, [0.1, 0.1, 0.1], true, "1", false),
            null, null, null, null, null, null, 100, TrainProfile: profile);
        using var json = JsonDocument.Parse(report.ToJson());
        var section = json.RootElement.GetProperty("train_profile");
        Assert.Equal(2, section.GetProperty("batch").GetInt32());
        foreach (var objective in new[] { "pretrain", "ctc" })
            foreach (var dtype in new[] { "fp32", "bf16" })
            {
                var step = section.GetProperty(objective).GetProperty(dtype);
                var whole = step.GetProperty("whole_ms").GetProperty("median_ms").GetDouble();
                Assert.True(whole > 0);
                Assert.True(step.GetProperty("split_ms").GetProperty("median_ms").GetDouble() > 0);
                var parts = step.GetProperty("parts");
                Assert.Equal(Parts.Select(p => p.Replace(' ', '_')), parts.EnumerateObject().Select(p => p.Name));
                foreach (var part in parts.EnumerateObject())
                {
                    var ms = part.Value.GetProperty("median_ms").GetDouble();
                    Assert.True(ms > 0, $"{objective} {dtype} {part.Name}");
                    Assert.Equal(ms / whole, part.Value.GetProperty("share_of_step").GetDouble(), 1e-9);
                }
                Assert.Equal(parts.EnumerateObject().Sum(p => p.Value.GetProperty("median_ms").GetDouble()),
                    step.GetProperty("sum_of_parts_ms").GetDouble(), 1e-9);
            }
        var text = report.ToText();
        Assert.DoesNotContain("above its products' floor", text);

        // With the roofline's rates the report splits each step into its products' floor and the rest.
        var rates = new Dictionary<string, double> { ["fp32"] = 100, ["bf16"] = 400 };
        var withRoofline = report with { MatmulGflops = rates };
        using var json2 = JsonDocument.Parse(withRoofline.ToJson());
        foreach (var objective in new[] { "pretrain", "ctc" })
        {
            var byDtype = objective == "pretrain" ? profile.Pretraining : profile.Ctc;
            var bySection = json2.RootElement.GetProperty("train_profile").GetProperty(objective);
            foreach (var dtype in new[] { "fp32", "bf16" })
            {
                var step = bySection.GetProperty(dtype);
                var floor = step.GetProperty("floor_ms").GetDouble();
                Assert.True(floor > 0);
                Assert.Equal(byDtype[dtype].Flops.Sum(f => f.FloorMs(rates[dtype], 100)), floor, 1e-9);
                Assert.Equal(step.GetProperty("whole_ms").GetProperty("median_ms").GetDouble() - floor, step.GetProperty("above_floor_ms").GetDouble(), 1e-9);
                var backward = step.GetProperty("parts").GetProperty("backward");
                Assert.True(backward.GetProperty("gflop").GetDouble() > step.GetProperty("parts").GetProperty("transformer").GetProperty("gflop").GetDouble());
            }
            var split = bySection.GetProperty("bf16_speedup_split");
            double Whole(string d) => byDtype[d].WholeMs.Median;
            Assert.Equal(Whole("fp32") / Whole("bf16"), split.GetProperty("whole").GetDouble(), 1e-9);
            // Float32 heads keep the products' speed-up of pre-training below the 4× of the rates; CTC has no float32 heads.
            var products = split.GetProperty("products").GetDouble();
            if (objective == "ctc") Assert.Equal(4, products, 6);
            else Assert.InRange(products, 1, 4);
            // The bf16 rest the target allows, added to the bf16 products, is exactly 1 / 2.5 of the float32 step.
            var floor16 = bySection.GetProperty("bf16").GetProperty("floor_ms").GetDouble();
            Assert.Equal(Whole("fp32") / 2.5, floor16 + split.GetProperty("rest_ms_for_target").GetDouble(), 6);
        }
        Assert.Contains("bf16 vs fp32: step ", withRoofline.ToText());
        Assert.Contains("training-step profile, batch 2 × 1 s", text);
        Assert.Contains("  CTC bf16: whole step ", text);
    }
}
