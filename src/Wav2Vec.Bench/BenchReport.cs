using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec.Bench;

/// <summary>One target of the performance goals and whether this run met it.</summary>
/// <param name="Name">What is compared, e.g. <c>bf16 inference / ORT float32</c>.</param>
/// <param name="Value">Measured value.</param>
/// <param name="Limit">The target's bound.</param>
/// <param name="AtMost">True when the value must not exceed the limit, false when it must reach it.</param>
public sealed record Target(string Name, double Value, double Limit, bool AtMost)
{
    /// <summary>Whether the value is on the right side of the limit.</summary>
    public bool Met => AtMost ? Value <= Limit : Value >= Limit;
}

/// <summary>Everything one bench run measured; sections that did not run are null.</summary>
public sealed record BenchReport(
    BenchOptions Options, Machine Machine, IReadOnlyDictionary<string, double>? MatmulGflops, InferenceResult? Inference,
    IReadOnlyDictionary<string, AttentionResult>? Attention, TrainingResult? Training, Sample? DataRealTime, MemoryResult? Memory,
    double PeakRssMb, IReadOnlyDictionary<string, ForwardProfile>? Profile = null, TrainProfileResult? TrainProfile = null)
{
    /// <summary>The inference median of <paramref name="name"/> (fp32, bf16, ort), if measured.</summary>
    public double? InferMs(string name) => Inference?.Runs.TryGetValue(name, out var s) == true ? s.Median : null;

    /// <summary>Our inference time over ONNX Runtime's float32 time for <paramref name="dtype"/>.</summary>
    public double? RatioToOrt(string dtype) => InferMs(dtype) is { } ours && InferMs("ort") is { } ort ? ours / ort : null;

    /// <summary>
    /// The best ratio to ONNX Runtime that <paramref name="dtype"/> could reach with libtorch's products: the forward
    /// pass's FLOPs at the measured matmul rate of that dtype, over ORT's time. A target below it needs faster products,
    /// not less overhead.
    /// </summary>
    public double? RatioToOrtAtMatmulRate(string dtype) => InferMsAtMatmulRate(dtype) is { } floor && InferMs("ort") is { } ort ? floor / ort : null;

    /// <summary>The measured matmul rate (GFLOP/s) of <paramref name="dtype"/>, if the roofline ran for it.</summary>
    public double? MatmulRate(string dtype) => MatmulGflops?.TryGetValue(dtype, out var rate) == true ? rate : null;

    /// <summary>The inference pass's FLOPs at <paramref name="dtype"/>'s matmul rate, in ms: its floor with libtorch's products.</summary>
    public double? InferMsAtMatmulRate(string dtype) => Inference is { } inf && MatmulRate(dtype) is { } rate ? inf.Gflop / rate * 1000 : null;

    /// <summary>The smaller of the pre-training and CTC bf16 speed-ups (both must reach the target).</summary>
    public double? TrainSpeedup => Training is { } t && t.Pretraining.Bf16Speedup is { } p && t.Ctc.Bf16Speedup is { } c ? Math.Min(p, c) : null;

    /// <summary>Pre-training step / CTC step in the lowest-precision dtype measured.</summary>
    public double? PretrainToCtc => Training is { } t
        ? t.Pretraining.Steps[Lowest].Median / t.Ctc.Steps[Lowest].Median : null;

    string Lowest => Options.DtypeNames.Contains("bf16") ? "bf16" : "fp32";

    /// <summary>The targets this run has values for.</summary>
    public IReadOnlyList<Target> Targets()
    {
        var targets = new List<Target>();
        if (RatioToOrt("bf16") is { } b) targets.Add(new("bf16 inference / ONNX Runtime float32", b, 0.5, true));
        if (RatioToOrt("fp32") is { } f) targets.Add(new("float32 inference / ONNX Runtime float32", f, 1.0, true));
        if (Training?.Pretraining.Bf16Speedup is { } p) targets.Add(new("pre-training step speed-up bf16 vs float32", p, 2.5, false));
        if (Training?.Ctc.Bf16Speedup is { } c) targets.Add(new("CTC step speed-up bf16 vs float32", c, 2.5, false));
        if (PretrainToCtc is { } r) targets.Add(new($"pre-training step / CTC step ({Lowest})", r, 1.25, true));
        if (Memory is { } m) targets.Add(new($"RSS growth over {m.Steps} steps (%)", m.GrowthPercent, 2.0, true));
        return targets;
    }

    /// <summary>
    /// The report as JSON: headline fields named <c>{preset}_infer_ms_{dtype}</c>, <c>ort_infer_ms</c>,
    /// <c>ratio_bf16_to_ort</c>, <c>ratio_fp32_to_ort</c>, <c>train_step_speedup_bf16</c> (null when not measured),
    /// then the sections in detail.
    /// </summary>
    public string ToJson()
    {
        var p = Options.Preset;
        var root = new JsonObject
        {
            ["preset"] = p,
            ["threads"] = Options.Threads,
            ["dropout"] = !Options.NoDropout,
            ["machine"] = new JsonObject
            {
                ["cpu"] = Machine.Cpu, ["cores"] = Machine.Cores, ["load_average"] = Array(Machine.LoadAverage),
                ["bf16_hardware"] = Machine.Bf16Hardware, ["thp_mem_alloc_enable"] = Machine.HugePages, ["mkl_shim"] = Machine.MklShim,
            },
            [$"{p}_infer_ms_fp32"] = InferMs("fp32"),
            [$"{p}_infer_ms_bf16"] = InferMs("bf16"),
            ["ort_infer_ms"] = InferMs("ort"),
            ["ratio_bf16_to_ort"] = RatioToOrt("bf16"),
            ["ratio_fp32_to_ort"] = RatioToOrt("fp32"),
            ["ratio_bf16_to_ort_at_matmul_rate"] = RatioToOrtAtMatmulRate("bf16"),
            ["ratio_fp32_to_ort_at_matmul_rate"] = RatioToOrtAtMatmulRate("fp32"),
            ["train_step_speedup_bf16"] = TrainSpeedup,
            ["pretrain_step_speedup_bf16"] = Training?.Pretraining.Bf16Speedup,
            ["ctc_step_speedup_bf16"] = Training?.Ctc.Bf16Speedup,
            ["pretrain_to_ctc_step_ratio"] = PretrainToCtc,
            ["ort_unavailable"] = Inference?.OrtUnavailable,
            ["matmul_gflops"] = MatmulGflops is null ? null : Object(MatmulGflops.ToDictionary(kv => kv.Key, kv => (JsonNode?)kv.Value)),
            ["inference"] = Inference is null ? null : InferenceJson(Inference),
            ["attention"] = Attention is null ? null : Object(Attention.ToDictionary(kv => kv.Key, kv => (JsonNode?)new JsonObject
            {
                ["explicit"] = SampleJson(kv.Value.ExplicitMs), ["fused"] = SampleJson(kv.Value.FusedMs),
                ["faster"] = kv.Value.Faster.ToString().ToLowerInvariant(),
            })),
            ["training"] = Training is null ? null : new JsonObject
            {
                ["batch"] = Training.Batch, ["seconds_per_utterance"] = Training.BatchSeconds,
                ["pretrain"] = StepsJson(Training.Pretraining), ["ctc"] = StepsJson(Training.Ctc),
            },
            ["data_pipeline_x_real_time"] = DataRealTime?.Median,
            ["memory"] = Memory is null ? null : new JsonObject
            {
                ["steps"] = Memory.Steps, ["compute_type"] = Memory.ComputeType, ["rss_mb_after_warmup"] = Memory.RssAfterWarmupMb,
                ["rss_mb_end"] = Memory.RssEndMb, ["rss_growth_percent"] = Memory.GrowthPercent,
            },
            ["profile"] = Profile is null ? null : Object(Profile.ToDictionary(kv => kv.Key, kv => (JsonNode?)ProfileJson(kv.Key, kv.Value))),
            ["train_profile"] = TrainProfile is null ? null : new JsonObject
            {
                ["batch"] = TrainProfile.Batch, ["seconds_per_utterance"] = TrainProfile.BatchSeconds,
                ["pretrain"] = StepProfilesJson(TrainProfile.Pretraining), ["ctc"] = StepProfilesJson(TrainProfile.Ctc),
            },
            ["peak_rss_mb"] = PeakRssMb,
            ["targets"] = new JsonArray([.. Targets().Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name, ["value"] = t.Value, ["limit"] = t.Limit, ["at_most"] = t.AtMost, ["met"] = t.Met,
            })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    JsonObject InferenceJson(InferenceResult r)
    {
        var runs = new JsonObject();
        foreach (var (name, s) in r.Runs)
        {
            var o = SampleJson(s);
            o["x_real_time"] = r.Seconds / (s.Median / 1000);
            if (name != "ort")
            {
                o["gflops"] = r.Gflop / (s.Median / 1000);
                if (MatmulRate(name) is { } roof) o["fraction_of_matmul_rate"] = r.Gflop / (s.Median / 1000) / roof;
            }
            runs[name] = o;
        }
        return new JsonObject { ["seconds"] = r.Seconds, ["gflop"] = r.Gflop, ["ort_max_logit_diff"] = r.OrtMaxLogitDiff, ["runs"] = runs };
    }

    JsonObject ProfileJson(string dtype, ForwardProfile profile)
    {
        var rate = MatmulRate(dtype);
        return new JsonObject
        {
            ["whole_ms"] = SampleJson(profile.WholeMs),
            ["sum_of_parts_ms"] = profile.SumMs,
            ["ms_at_matmul_rate"] = rate is { } roof ? profile.MsAtMatmulRate(roof) : null,
            ["parts"] = new JsonArray([.. profile.Parts.Select(p => (JsonNode)new JsonObject
            {
                ["part"] = p.Part, ["median_ms"] = p.Ms.Median, ["min_ms"] = p.Ms.Min, ["max_ms"] = p.Ms.Max, ["gflop"] = p.Gflop,
                ["gflops"] = p.Gflops, ["fraction_of_matmul_rate"] = p.Gflop > 0 ? p.Gflops / rate : null,
                ["share_of_parts"] = p.Ms.Median / profile.SumMs,
                ["ms_above_matmul_rate"] = p.Ms.Median - p.Gflop / rate * 1000,
            })]),
        };
    }

    /// <summary>
    /// The products of a profiled step at the measured matmul rates, in ms (the network's at <paramref name="dtype"/>'s rate,
    /// the float32 heads' at float32's), or null when the roofline did not measure both rates.
    /// </summary>
    public double? StepFloorMs(StepProfile step, string dtype) =>
        MatmulRate(dtype) is { } rate && MatmulRate("fp32") is { } float32 ? step.FloorMs(rate, float32) : null;

    /// <summary>One part's products at the measured matmul rates, in ms, as <see cref="StepFloorMs"/> counts them.</summary>
    double? PartFloorMs(PartFlops flops, string dtype) =>
        MatmulRate(dtype) is { } rate && MatmulRate("fp32") is { } float32 ? flops.FloorMs(rate, float32) : null;

    /// <summary>
    /// How a step's bf16 speed-up splits, when both dtypes were profiled with the roofline: the whole step's, the
    /// products' at the matmul rates, the rest's (element-wise work, memory traffic, overhead: whole step minus
    /// products), and the most time the bf16 rest may take for the step to reach <paramref name="target"/>.
    /// </summary>
    public SpeedupSplit? Bf16Split(IReadOnlyDictionary<string, StepProfile> byDtype, double target = 2.5)
    {
        if (!byDtype.TryGetValue("fp32", out var f) || !byDtype.TryGetValue("bf16", out var b)) return null;
        if (StepFloorMs(f, "fp32") is not { } floor32 || StepFloorMs(b, "bf16") is not { } floor16) return null;
        double whole32 = f.WholeMs.Median, whole16 = b.WholeMs.Median;
        return new SpeedupSplit(whole32 / whole16, floor32 / floor16, (whole32 - floor32) / (whole16 - floor16), whole32 / target - floor16);
    }

    JsonObject StepProfilesJson(IReadOnlyDictionary<string, StepProfile> byDtype)
    {
        var o = Object(byDtype.ToDictionary(kv => kv.Key, kv =>
        {
            var (dtype, profile) = (kv.Key, kv.Value);
            var parts = new JsonObject();
            foreach (var ((part, ms), flops) in profile.Parts.Zip(profile.Flops))
            {
                var p = SampleJson(ms);
                p["share_of_step"] = profile.ShareOfStep(ms);
                p["gflop"] = (flops.NetworkFlops + flops.HeadFlops) / 1e9;
                if (PartFloorMs(flops, dtype) is { } partFloor)
                {
                    p["floor_ms"] = partFloor;
                    p["above_floor_ms"] = ms.Median - partFloor;
                }
                parts[part.Replace(' ', '_')] = p;
            }
            var floor = StepFloorMs(profile, dtype);
            return (JsonNode?)new JsonObject
            {
                ["whole_ms"] = SampleJson(profile.WholeMs), ["split_ms"] = SampleJson(profile.SplitMs), ["sum_of_parts_ms"] = profile.SumMs,
                ["floor_ms"] = floor, ["above_floor_ms"] = profile.WholeMs.Median - floor, ["parts"] = parts,
            };
        }));
        if (Bf16Split(byDtype) is { } split)
            o["bf16_speedup_split"] = new JsonObject
            {
                ["whole"] = split.Whole, ["products"] = split.Products, ["rest"] = split.Rest, ["rest_ms_for_target"] = split.RestMsForTarget,
            };
        return o;
    }

    static JsonObject StepsJson(StepTimings t) => Object(t.Steps.ToDictionary(kv => kv.Key, kv =>
    {
        var o = SampleJson(kv.Value);
        o["audio_seconds_per_second"] = t.AudioPerSecond(kv.Key);
        return (JsonNode?)o;
    }));

    static JsonObject SampleJson(Sample s) => new() { ["median_ms"] = s.Median, ["min_ms"] = s.Min, ["max_ms"] = s.Max, ["runs"] = s.Runs };

    static JsonObject Object(IDictionary<string, JsonNode?> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values) o[k] = v;
        return o;
    }

    static JsonArray Array(double[] values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>The report as plain text for a terminal.</summary>
    public string ToText()
    {
        var s = new StringBuilder();
        void Line(string text) => s.AppendLine(text);
        string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
        string Ms(Sample x) => $"{F(x.Median)} ms (min {F(x.Min)}, max {F(x.Max)}, {x.Runs} runs)";
        Line($"wav2vec bench: preset {Options.Preset}{(Options.NoDropout ? " without dropout" : "")}, {Options.Threads} threads, {Machine.Cpu}, load {string.Join(" ", Machine.LoadAverage.Select(v => F(v, "F2")))}");
        Line($"environment: THP_MEM_ALLOC_ENABLE={Machine.HugePages ?? "(unset)"}, MKL vendor shim {(Machine.MklShim ? "on" : "off")}, bf16 hardware {(Machine.Bf16Hardware ? "yes" : "no")}");
        if (MatmulGflops is not null)
            Line("matmul rate (roofline): " + string.Join(", ", MatmulGflops.Select(kv => $"{kv.Key} {F(kv.Value, "F0")} GFLOP/s")));
        if (Inference is { } inf)
        {
            Line($"inference, {F(inf.Seconds, "F0")} s of audio ({F(inf.Gflop)} GFLOP):");
            foreach (var (name, x) in inf.Runs)
            {
                var rate = name == "ort" ? "" : $", {F(inf.Gflop / (x.Median / 1000), "F0")} GFLOP/s";
                Line($"  {name,-5} {Ms(x)}, {F(inf.Seconds / (x.Median / 1000))}× real time{rate}");
            }
            if (inf.OrtUnavailable is { } why) Line($"  ONNX Runtime comparison unavailable: {why}");
            if (inf.OrtMaxLogitDiff is { } d) Line($"  ORT vs ours (float32 logits): max |diff| {F(d, "G3")}");
            foreach (var dtype in inf.Runs.Keys.Where(k => k != "ort"))
                if (InferMsAtMatmulRate(dtype) is { } floorMs && RatioToOrtAtMatmulRate(dtype) is { } floor)
                    Line($"  {dtype} at libtorch's {dtype} matmul rate: {F(floorMs)} ms, {F(floor, "F2")}× ORT at best");
        }
        if (Attention is not null)
            foreach (var (name, a) in Attention)
                Line($"attention {name}: explicit {Ms(a.ExplicitMs)}, fused {Ms(a.FusedMs)}; faster here {a.Faster.ToString().ToLowerInvariant()}");
        if (Training is { } t)
        {
            Line($"training step, batch {t.Batch} × {F(t.BatchSeconds, "F0")} s (bf16 = mixed precision):");
            foreach (var (what, steps) in new[] { ("pre-training", t.Pretraining), ("CTC", t.Ctc) })
                foreach (var (name, x) in steps.Steps)
                    Line($"  {what,-12} {name,-5} {Ms(x)}, {F(steps.AudioPerSecond(name))} s of audio per second");
        }
        if (Profile is not null)
            foreach (var (dtype, profile) in Profile)
            {
                var rate = MatmulRate(dtype);
                var floor = rate is { } roof ? $", {F(profile.MsAtMatmulRate(roof))} ms at the matmul rate" : "";
                Line($"forward profile {dtype}: whole {Ms(profile.WholeMs)}; parts sum to {F(profile.SumMs)} ms{floor}");
                foreach (var p in profile.Parts)
                {
                    var speed = p.Gflop > 0 ? $", {F(p.Gflops, "F0")} GFLOP/s" + (rate is { } m2 ? $" ({F(p.Gflops / m2, "F2")} of matmul)" : "") : "";
                    Line($"  {p.Part,-20} {F(p.Ms.Median),8} ms  {F(100 * p.Ms.Median / profile.SumMs),5} %{speed}");
                }
            }
        if (TrainProfile is { } tp)
        {
            Line($"training-step profile, batch {tp.Batch} × {F(tp.BatchSeconds, "F0")} s (bf16 = mixed precision), share of the whole step:");
            foreach (var (what, byDtype) in new[] { ("pre-training", tp.Pretraining), ("CTC", tp.Ctc) })
            {
                foreach (var (dtype, profile) in byDtype)
                {
                    var floor = StepFloorMs(profile, dtype) is { } fl ? $"; its products at the matmul rates: {F(fl)} ms" : "";
                    Line($"  {what} {dtype}: whole step {Ms(profile.WholeMs)}; split {Ms(profile.SplitMs)}; parts sum to {F(profile.SumMs)} ms ({F(profile.SumMs / profile.WholeMs.Median, "F2")} of the step){floor}");
                    foreach (var ((part, ms), flops) in profile.Parts.Zip(profile.Flops))
                    {
                        var above = flops.NetworkFlops + flops.HeadFlops > 0 && PartFloorMs(flops, dtype) is { } partFloor
                            ? $", {F(ms.Median - partFloor)} ms above its products' floor" : "";
                        Line($"    {part,-22} {F(ms.Median),9} ms  {F(100 * profile.ShareOfStep(ms)),5} %{above}");
                    }
                }
                if (Bf16Split(byDtype) is { } split)
                    Line($"  {what} bf16 vs fp32: step {F(split.Whole, "F2")}× faster = products {F(split.Products, "F2")}× and the rest {F(split.Rest, "F2")}×; "
                        + $"2.5× needs the bf16 rest ≤ {F(split.RestMsForTarget)} ms");
            }
        }
        if (DataRealTime is { } data) Line($"data pipeline: {F(data.Median, "F0")}× real time");
        if (Memory is { } m) Line($"memory: RSS {F(m.RssAfterWarmupMb, "F0")} → {F(m.RssEndMb, "F0")} MiB over {m.Steps} {m.ComputeType} steps ({F(m.GrowthPercent, "F2")} %)");
        Line($"peak RSS: {F(PeakRssMb, "F0")} MiB");
        foreach (var target in Targets())
            Line($"target {(target.Met ? "met    " : "missed ")} {target.Name}: {F(target.Value, "F2")} ({(target.AtMost ? "≤" : "≥")} {F(target.Limit, "F2")})");
        return s.ToString();
    }
}
