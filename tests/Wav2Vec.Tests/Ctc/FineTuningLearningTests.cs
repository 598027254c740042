using System.Diagnostics;
using System.Reactive.Linq;
using Wav2Vec.Corpus;
using Wav2Vec.Data;
using Wav2Vec.Experiments;
using Wav2Vec.Tests.Training;
using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Ctc;

[Collection(GlobalGeneratorCollection.Name)]
public class FineTuningLearningTests
{
    /// <summary>
    /// The whole fine-tuning step (frozen feature encoder, tri-stage schedule, CTC loss, clipping) learns: a
    /// freshly initialised Tiny model fits the two espeak-ng sentences of the parity fixture, from garbage
    /// (CER above 0.8) to a few character errors, in 100 updates (≈ 20 s of one CPU thread).
    /// </summary>
    [Fact]
    public void FineTuningTheTinyPresetDrivesTrainingCerFromGarbageToAFewErrors()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(0);
        var vocabulary = Vocabulary.English;
        using var run = new StepLoop(vocabulary, steps: 100, learningRate: 1e-3, warmup: 0.1);
        (string Id, float[] Waveform, string Transcript)[] items =
        [
            ("input", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), "the quick brown fox jumps over the lazy dog"),
            ("input2", Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav")), "speech recognition without transcripts"),
        ];
        double Cer() => run.Cer(items);

        double before = Cer();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var reports = Enumerable.Range(0, run.Steps).Select(_ => run.Step(TestBatches.Labelled(run.Tokenizer, items))).ToList();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double after = Cer();

        Assert.True(before > 0.8, $"an untrained model should be garbage, CER {before:0.000}");
        Assert.True(after < 0.15, $"CER {before:0.000} → {after:0.000} after {run.Steps} updates ({cpuSeconds:0} s CPU)");
        Assert.True(reports[^1].Loss < 0.1 * reports[0].Loss, $"loss {reports[0].Loss:0.00} → {reports[^1].Loss:0.00}");
    }

    /// <summary>
    /// Two minutes of synthetic speech (espeak-ng, isolated words from a ten-word list): a freshly initialised
    /// Tiny model with a frozen random feature encoder escapes the all-blank plateau (CER 1) and reaches a CER
    /// well below it in 260 updates of 3 s batches, about 40 s of one CPU thread.
    /// </summary>
    [Fact]
    public void FineTuningTheTinyPresetOnTwoMinutesOfSyntheticSpeechDrivesCerFarDown()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(0);
        var data = SyntheticSpeech.Make(120, seed: 7, minWords: 1, maxWords: 1, vocabularyWords: 10);
        var vocabulary = Vocabulary.English;
        using var run = new StepLoop(vocabulary, steps: 260, learningRate: 3e-4, warmup: 0.2308, clipNorm: 5.0);
        var probe = data.Take(12).Select(d => (d.Utterance.Id, d.Waveform, d.Utterance.Transcript)).ToList();

        double before = run.Cer(probe);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var utterances = data.Select(d => new AudioUtterance(new Utterance(d.Utterance.Id, d.Utterance.AudioPath, d.Waveform.Length, d.Utterance.Transcript), d.Waveform)).ToList();
        for (int epoch = 0; run.Updates < run.Steps; epoch++)
        {
            // The data path's order and bucketing: a seeded shuffle per epoch, then batches of at most 3 s.
            var batches = SeededRandom.Shuffle(utterances, 1, $"epoch-{epoch}").ToObservable()
                .BatchBySize(3 * 16000, seed: epoch).Pad(run.Tokenizer).ToTensors().ToBlockingEnumerable();
            foreach (var batch in batches.TakeWhile(_ => run.Updates < run.Steps)) run.Step(batch);
        }
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double after = run.Cer(probe);

        Assert.InRange(data.Sum(d => d.Waveform.Length) / 16000.0, 120, 125);
        Assert.True(before > 1, $"an untrained model should insert garbage, CER {before:0.000}");
        Assert.True(after < 0.5, $"CER {before:0.000} → {after:0.000} after {run.Steps} updates ({cpuSeconds:0} s CPU)");
    }

    /// <summary>
    /// A freshly initialised Tiny CTC model trained update by update as a fine-tuning run trains it: frozen feature
    /// encoder with cached features, AdamW without weight decay (β = 0.9, 0.98, ε = 1e-8), mean CTC loss, tri-stage
    /// warm-up then hold.
    /// </summary>
    sealed class StepLoop : IDisposable
    {
        readonly Wav2Vec2ForCtc model;
        readonly FeatureCache cache;
        readonly TorchSharp.Modules.AdamW optimizer;
        readonly TriStageSchedule schedule;
        readonly CtcStepOptions options;

        public StepLoop(Vocabulary vocabulary, int steps, double learningRate, double warmup, double clipNorm = 1.0)
        {
            Steps = steps;
            Tokenizer = new Tokenizer(vocabulary, TranscriptNormalizer.English);
            model = new Wav2Vec2ForCtc(Wav2Vec2Presets.Tiny(vocabulary.Count) with { CtcLossReduction = "mean" });
            model.FreezeFeatureEncoder();
            cache = new FeatureCache(model.Wav2Vec2, TorchSharp.torch.CPU);
            var spec = new OptimizerSpec(LearningRate: learningRate, WeightDecay: 0, Epsilon: 1e-8, ClipNorm: clipNorm);
            optimizer = Optimizers.AdamW(model.named_parameters(), spec, Optimizers.DefaultNoDecay);
            schedule = new TriStageSchedule(learningRate, steps, WarmupRatio: warmup, HoldRatio: 1 - warmup, DecayRatio: 0);
            options = new CtcStepOptions(ClipNorm: clipNorm);
        }

        public int Steps { get; }
        public int Updates { get; private set; }
        public Tokenizer Tokenizer { get; }

        public UpdateReport Step(Batch batch)
        {
            using var _ = batch;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.At(Updates);
            var report = CtcStep.Run(model, optimizer, [batch], Updates++, options, cache);
            Assert.False(report.Skipped, $"update {Updates} was skipped (loss {report.Loss})");
            return report;
        }

        public double Cer(IEnumerable<(string Id, float[] Waveform, string Transcript)> items)
        {
            using var recognizer = new CtcRecognizer(model, Tokenizer.Vocabulary);
            return Evaluation.Run(recognizer, items, TranscriptNormalizer.English).Cer;
        }

        public void Dispose()
        {
            optimizer.Dispose();
            cache.Dispose();
            model.Dispose();
        }
    }
}
