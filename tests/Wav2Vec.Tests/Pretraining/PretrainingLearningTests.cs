using System.Diagnostics;
using TorchSharp;
using Wav2Vec.Experiments;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using Wav2Vec.Tests.Training;
using Wav2Vec.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

[Collection(GlobalGeneratorCollection.Name)]
public class PretrainingLearningTests(ITestOutputHelper output)
{
    const int SegmentSamples = 16000;
    const int Batch = 4;
    const int Segments = 16;
    const int Steps = 200;

    static readonly (string, int, int)[] Voices = [("en-us", 150, 50), ("en-gb", 175, 40), ("en-029", 140, 60)];

    /// <summary>One-second segments of the synthetic corpus, each normalised to zero mean and unit variance (HF do_normalize).</summary>
    static float[][] SegmentsOf(IEnumerable<float[]> utterances) =>
        utterances.SelectMany(u => Enumerable.Range(0, u.Length / SegmentSamples).Select(i => u.AsSpan(i * SegmentSamples, SegmentSamples).ToArray()))
            .Select(s =>
            {
                var mean = s.Average();
                var std = (float)Math.Sqrt(s.Average(x => (x - mean) * (x - mean)) + 1e-7);
                return s.Select(x => (x - mean) / std).ToArray();
            }).ToArray();

    static Tensor Stack(IEnumerable<float[]> rows)
    {
        var list = rows.ToList();
        return torch.tensor(list.SelectMany(r => r).ToArray(), new long[] { list.Count, SegmentSamples });
    }

    static PretrainingLossValues Evaluate(Wav2Vec2ForPreTraining model, Tensor audio, PretrainingStepOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return PretrainingStep.Losses(model, audio, null, options with { Seed = 99 }, step: 0, out _).ToValues();
    }

    /// <summary>
    /// Learning, not just running: pre-training the Tiny preset (≈2 M parameters) for a few hundred steps on synthetic speech. The
    /// corpus is 16 one-second segments drawn from ≈3 minutes of espeak-ng speech (3 voices): with more distinct audio
    /// the contrastive loss stays on its ln(K + 1) plateau for longer than a one-minute CPU test can run.
    /// </summary>
    [Fact]
    public void TinyPresetPretrainingLowersContrastiveLossRaisesAccuracyWithoutCodebookCollapse()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(0);
        var clock = Stopwatch.StartNew();
        var all = SegmentsOf(SyntheticSpeech.Corpus(SyntheticSpeech.Sentences, Voices));
        var shuffle = new Random(0);
        var corpus = all.OrderBy(_ => shuffle.Next()).Take(Segments).ToArray();
        output.WriteLine($"synthesised {all.Length} s, training on {corpus.Length} one-second segments ({clock.Elapsed.TotalSeconds:F1} s)");

        var config = Wav2Vec2Presets.Tiny();
        var model = new Wav2Vec2ForPreTraining(config);
        var options = PretrainingStepOptions.From(config) with { Temperature = new GumbelTemperatureSchedule(2.0, 0.995, 0.5), Seed = 5 };
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-6, weight_decay: 0.01);
        using var evalAudio = Stack(corpus.Take(8));
        var before = Evaluate(model, evalAudio, options);

        var random = new Random(1);
        var log = new List<UpdateReport>();
        var trainClock = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var audio = Stack(Enumerable.Range(0, Batch).Select(_ => corpus[random.Next(corpus.Length)]));
            log.Add(PretrainingStep.Run(model, optimizer, [TestBatches.Of(audio)], step, options));
            if (step % 25 == 24)
            {
                var w = log.TakeLast(25).ToList();
                double Mean(string metric) => w.Average(r => r.Metric(metric));
                output.WriteLine($"{step}: loss {Mean(MetricNames.Contrastive):F3} acc {Mean(MetricNames.Accuracy):F3} ppl {Mean(MetricNames.Perplexity):F1} " +
                                 $"pen {Mean(MetricNames.FeaturePenalty):F4} div {Mean(MetricNames.Diversity):F3}");
            }
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        var after = Evaluate(model, evalAudio, options);
        output.WriteLine($"before {before}");
        output.WriteLine($"after  {after}");
        output.WriteLine($"{Steps} steps in {trainClock.Elapsed.TotalSeconds:F1} s (cpu {cpu:F1} s), total {clock.Elapsed.TotalSeconds:F1} s");
        // Fresh masks every step: the network must predict each masked frame's code from its context (eq. 3).
        // 250 steps took 80 s of CPU on the loaded 2-core machine (loss 4.00 → 0.83, accuracy 0.04 → 0.88).
        Assert.True(after.ContrastiveMean < 0.6 * before.ContrastiveMean,
            $"contrastive loss per masked frame went {before.ContrastiveMean:F3} → {after.ContrastiveMean:F3}");
        Assert.True(after.Accuracy > 0.4 && after.Accuracy > before.Accuracy + 0.3,
            $"masked-frame accuracy went {before.Accuracy:F3} → {after.Accuracy:F3}");
        var codes = config.NumCodevectorGroups * config.NumCodevectorsPerGroup;
        Assert.True(after.Perplexity > 0.25 * codes && after.CodeUsage > 0.25,
            $"codebook collapsed: perplexity {after.Perplexity:F1} of {codes}, code usage {after.CodeUsage:F2}");
    }
}
