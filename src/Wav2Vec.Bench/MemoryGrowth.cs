using TorchSharp;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using static TorchSharp.torch;

namespace Wav2Vec.Bench;

/// <summary>Resident memory over many training steps: a leak shows as growth after the warm-up.</summary>
/// <param name="Steps">Steps taken (pre-training and CTC in turn).</param>
/// <param name="RssAfterWarmupMb">Resident set after the first tenth of the steps (at least 10), MiB.</param>
/// <param name="RssEndMb">Resident set after the last step, MiB.</param>
/// <param name="ComputeType">fp32, or bf16 when the steps ran in mixed precision.</param>
public sealed record MemoryResult(int Steps, double RssAfterWarmupMb, double RssEndMb, string ComputeType)
{
    /// <summary>Growth from after the warm-up to the end, in percent.</summary>
    public double GrowthPercent => 100 * (RssEndMb - RssAfterWarmupMb) / RssAfterWarmupMb;
}

/// <summary>
/// Runs <see cref="BenchOptions.MemorySteps"/> Tiny steps on 2 × 1 s batches, alternating a pre-training and a CTC
/// update through the same step functions the trainers use; steps are small so that 1,000 of them take minutes.
/// </summary>
public static class MemoryGrowth
{
    /// <summary>Measures <see cref="MemoryResult"/> (mixed bf16 when bf16 is among the bench's dtypes).</summary>
    public static MemoryResult Measure(BenchOptions options)
    {
        var computeType = options.DtypeNames.Contains("bf16") ? "bf16" : "fp32";
        TorchRuntime.Seed(options.Seed);
        var tokenizer = new Tokenizer(Vocabulary.English, TranscriptNormalizer.English);
        var config = Wav2Vec2Presets.Tiny(tokenizer.Vocabulary.Count);
        using var pretraining = new Wav2Vec2ForPreTraining(config);
        using var ctc = new Wav2Vec2ForCtc(config);
        foreach (var network in new[] { pretraining.Wav2Vec2, ctc.Wav2Vec2 })
            network.ComputeType = computeType == "bf16" ? ScalarType.BFloat16 : null;
        using var optimizer = optim.AdamW(pretraining.parameters(), lr: 1e-5);
        using var ctcOptimizer = optim.AdamW(ctc.parameters(), lr: 1e-5);
        var waves = new[] { SyntheticAudio.Make(16000, options.Seed), SyntheticAudio.Make(16000, options.Seed + 1) };
        using var audio = stack(waves.Select(w => tensor(w)).ToList());
        var unlabelled = new Batch(audio, [16000, 16000], null, null, ["a", "b"]);
        using var labelled = Training.Labelled(tokenizer, waves, "the cat", "a dog");
        var stepOptions = PretrainingStepOptions.From(config) with { Seed = options.Seed };
        var warmup = Math.Min(Math.Max(10, options.MemorySteps / 10), options.MemorySteps);
        double afterWarmup = 0;
        for (var step = 0; step < options.MemorySteps; step++)
        {
            using (NewDisposeScope())
            {
                if (step % 2 == 0) PretrainingStep.Run(pretraining, optimizer, [unlabelled], step, stepOptions);
                else CtcStep.Run(ctc, ctcOptimizer, [labelled], step, new CtcStepOptions());
            }
            if (step + 1 == warmup) afterWarmup = Settled();
        }
        return new MemoryResult(options.MemorySteps, afterWarmup, Settled(), computeType);
    }

    /// <summary>Resident MiB after a full garbage collection, so managed garbage not yet collected does not count.</summary>
    static double Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Machine.Memory().Rss;
    }
}
