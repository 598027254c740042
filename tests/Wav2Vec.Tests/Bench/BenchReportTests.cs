using System.Text.Json;
using Wav2Vec.Bench;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Bench;

public class BenchReportTests
{
    static Sample Ms(double median) => new(median, median * 0.9, median * 1.2, 9);

    static BenchReport Report(InferenceResult inference) => new(
        new BenchOptions("base"), new Machine("test cpu", 2, [0.5, 0.4, 0.3], true, "1", false),
        new Dictionary<string, double> { ["fp32"] = 200, ["bf16"] = 900 }, inference,
        new Dictionary<string, AttentionResult> { ["bf16"] = new(Ms(3), Ms(9)) },
        new TrainingResult(
            new StepTimings(new Dictionary<string, Sample> { ["fp32"] = Ms(3000), ["bf16"] = Ms(1000) }, 32),
            new StepTimings(new Dictionary<string, Sample> { ["fp32"] = Ms(2500), ["bf16"] = Ms(900) }, 32), 8, 4),
        Ms(150), new MemoryResult(1000, 500, 505, "bf16"), 1234);

    [Fact]
    public void JsonHasTheHeadlineFieldsRatiosAndTargets()
    {
        var runs = new Dictionary<string, Sample> { ["fp32"] = Ms(400), ["bf16"] = Ms(180), ["ort"] = Ms(400) };
        using var json = JsonDocument.Parse(Report(new InferenceResult(10, 148, runs, null, 2e-6)).ToJson());
        var root = json.RootElement;
        Assert.Equal(400, root.GetProperty("base_infer_ms_fp32").GetDouble());
        Assert.Equal(180, root.GetProperty("base_infer_ms_bf16").GetDouble());
        Assert.Equal(400, root.GetProperty("ort_infer_ms").GetDouble());
        Assert.Equal(0.45, root.GetProperty("ratio_bf16_to_ort").GetDouble(), 1e-12);
        Assert.Equal(1.0, root.GetProperty("ratio_fp32_to_ort").GetDouble(), 1e-12);
        // The smaller of the two speed-ups: pre-training 3.0, CTC 2.78.
        Assert.Equal(2500.0 / 900, root.GetProperty("train_step_speedup_bf16").GetDouble(), 1e-12);
        Assert.Equal(1000.0 / 900, root.GetProperty("pretrain_to_ctc_step_ratio").GetDouble(), 1e-12);
        Assert.Equal(1.0, root.GetProperty("memory").GetProperty("rss_growth_percent").GetDouble(), 1e-12);
        var bf16 = root.GetProperty("inference").GetProperty("runs").GetProperty("bf16");
        Assert.Equal(148 / 0.18, bf16.GetProperty("gflops").GetDouble(), 1e-9);
        Assert.Equal(148 / 0.18 / 900, bf16.GetProperty("fraction_of_matmul_rate").GetDouble(), 1e-9);
        var targets = root.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("met").GetBoolean());
        Assert.Equal(6, targets.Count);
        Assert.True(targets["bf16 inference / ONNX Runtime float32"]);
        Assert.True(targets["float32 inference / ONNX Runtime float32"]);
        Assert.True(targets["pre-training step speed-up bf16 vs float32"]);
        Assert.True(targets["pre-training step / CTC step (bf16)"]);
        Assert.True(targets["RSS growth over 1000 steps (%)"]);
    }

    [Fact]
    public void NoDropoutTrainsThePresetWithEveryDropoutAndLayerDropAtZeroAndTheReportSaysSo()
    {
        var preset = new BenchOptions("base").Config;
        Assert.True(preset.HiddenDropout > 0 && preset.AttentionDropout > 0 && preset.ActivationDropout > 0 && preset.LayerDrop > 0);
        var plain = new BenchOptions("base", NoDropout: true).Config;
        Assert.Equal(
            (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
            (plain.HiddenDropout, plain.ActivationDropout, plain.AttentionDropout, plain.FeatProjDropout, plain.FeatQuantizerDropout, plain.FinalDropout, plain.LayerDrop));
        // Nothing else of the architecture changes.
        Assert.Equal(preset with
        {
            HiddenDropout = 0, ActivationDropout = 0, AttentionDropout = 0, FeatProjDropout = 0, FeatQuantizerDropout = 0, FinalDropout = 0, LayerDrop = 0,
        }, plain);

        var runs = new Dictionary<string, Sample> { ["fp32"] = Ms(400), ["bf16"] = Ms(180), ["ort"] = Ms(400) };
        var report = Report(new InferenceResult(10, 148, runs, null, 2e-6));
        using (var json = JsonDocument.Parse(report.ToJson())) Assert.True(json.RootElement.GetProperty("dropout").GetBoolean());
        var without = report with { Options = new BenchOptions("base", NoDropout: true) };
        using (var json = JsonDocument.Parse(without.ToJson())) Assert.False(json.RootElement.GetProperty("dropout").GetBoolean());
        Assert.StartsWith("wav2vec bench: preset base without dropout, 2 threads", without.ToText());
    }

    [Fact]
    public void WithoutOnnxRuntimeTheRatiosAreNullAndTheReasonIsPrinted()
    {
        var runs = new Dictionary<string, Sample> { ["fp32"] = Ms(400), ["bf16"] = Ms(180) };
        var report = Report(new InferenceResult(10, 148, runs, "python3 was not found", null));
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ort_infer_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ratio_bf16_to_ort").ValueKind);
        Assert.Equal("python3 was not found", json.RootElement.GetProperty("ort_unavailable").GetString());
        Assert.Contains("ONNX Runtime comparison unavailable: python3 was not found", report.ToText());
        Assert.DoesNotContain(report.Targets(), t => t.Name.Contains("ONNX Runtime", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingPythonOrExportScriptIsAReasonNotAnException()
    {
        var onnx = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.onnx");
        var script = Path.GetTempFileName();
        try
        {
            var noPython = OnnxModel.Open(onnx, "model-dir", script, "/nonexistent/python3", threads: 1);
            Assert.Null(noPython.Session);
            Assert.Equal("/nonexistent/python3 was not found, so no ONNX file can be exported (Debian: apt-get install python3-torch python3-torchaudio), or pass --onnx FILE",
                noPython.Reason);
            var noScript = OnnxModel.Open(onnx, "model-dir", null, "/usr/bin/python3", threads: 1);
            Assert.Null(noScript.Session);
            Assert.Equal($"{onnx} is missing and the export script benchmarks/export_onnx.py was not found; pass --onnx FILE", noScript.Reason);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
