using Wav2Vec.Model;
using Wav2Vec.Torch;

namespace Wav2Vec.Bench;

/// <summary>Runs the sections <see cref="BenchOptions"/> selects, one after another (never two timings at once).</summary>
public static class BenchRun
{
    /// <summary>The bench's folder of cached weights and ONNX files, and the export script, found from the program's folder.</summary>
    public static (string Cache, string? Script) Paths(BenchOptions options)
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "benchmarks", "export_onnx.py"))) root = Path.GetDirectoryName(root);
        var script = root is null ? null : Path.Combine(root, "benchmarks", "export_onnx.py");
        var cache = options.CacheFolder ?? (root is null ? Path.Combine(Path.GetTempPath(), "wav2vec-bench") : Path.Combine(root, "artifacts", "bench"));
        return (cache, script);
    }

    /// <summary>Runs the bench; <paramref name="progress"/> hears which section starts.</summary>
    public static BenchReport Run(BenchOptions options, Action<string>? progress = null)
    {
        var config = options.Config;
        foreach (var d in options.DtypeNames) Dtypes.Of(d);
        TorchRuntime.Initialize(options.Threads);
        TorchSharp.torch.set_num_threads(options.Threads);
        var machine = Machine.Current();
        bool Has(BenchSections s) => options.Sections.HasFlag(s);

        IReadOnlyDictionary<string, double>? matmul = null;
        if (Has(BenchSections.Roofline))
        {
            progress?.Invoke("matmul rate");
            matmul = Roofline.Measure(options.DtypeNames, options.Warmup, options.Rounds);
        }
        InferenceResult? inference = null;
        if (Has(BenchSections.Inference))
        {
            progress?.Invoke("inference");
            var (model, dir) = Weights(config, options);
            using (model)
            {
                var (onnx, why) = options.Ort ? Onnx(dir, options) : new OnnxAvailability(null, null);
                using (onnx) inference = Inference.Measure(model, dir, onnx, why, options);
            }
        }
        IReadOnlyDictionary<string, AttentionResult>? attention = null;
        if (Has(BenchSections.Attention))
        {
            progress?.Invoke("attention kernels");
            attention = AttentionKernels.Measure(config, options);
        }
        TrainingResult? training = null;
        if (Has(BenchSections.Training))
        {
            progress?.Invoke("training steps");
            training = Training.Measure(config, options);
        }
        Sample? data = null;
        if (Has(BenchSections.Data))
        {
            progress?.Invoke("data pipeline");
            data = DataPipeline.RealTimeFactor(options);
        }
        MemoryResult? memory = null;
        if (Has(BenchSections.Memory))
        {
            progress?.Invoke($"memory over {options.MemorySteps} steps");
            memory = MemoryGrowth.Measure(options);
        }
        IReadOnlyDictionary<string, ForwardProfile>? profile = null;
        if (Has(BenchSections.Profile))
        {
            progress?.Invoke("forward profile");
            var (model, dir) = Weights(config, options);
            model.Dispose();
            profile = ForwardProfiling.Measure(dir, options);
        }
        TrainProfileResult? trainProfile = null;
        if (Has(BenchSections.TrainProfile))
        {
            progress?.Invoke("training-step profile");
            trainProfile = TrainProfiling.Measure(config, options);
        }
        return new BenchReport(options, machine, matmul, inference, attention, training, data, memory, Machine.Memory().Peak, profile, trainProfile);
    }

    /// <summary>
    /// The float32 CTC model of the preset and its Hugging Face directory: loaded from the cache when it is there (so
    /// the ONNX file exported from it has the same weights), else initialised from the seed and saved.
    /// </summary>
    static (Wav2Vec2ForCtc Model, string Dir) Weights(Wav2Vec2Config config, BenchOptions options)
    {
        var dir = Path.Combine(Paths(options).Cache, $"{options.Preset}-seed{options.Seed}");
        if (File.Exists(Path.Combine(dir, "config.json"))) return (Wav2Vec2ForCtc.FromPretrained(dir), dir);
        TorchRuntime.Seed(options.Seed);
        var model = new Wav2Vec2ForCtc(config);
        model.eval();
        model.SavePretrained(dir);
        return (model, dir);
    }

    static OnnxAvailability Onnx(string modelDir, BenchOptions options)
    {
        var path = options.OnnxPath ?? modelDir + ".onnx";
        if (options.OnnxPath is not null && !File.Exists(path)) return new(null, $"{path}: ONNX file not found");
        return OnnxModel.Open(path, modelDir, Paths(options).Script, options.Python, options.Threads);
    }
}
