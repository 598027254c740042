using System.Diagnostics;
using Wav2Vec.Ctc;
using Wav2Vec.IO;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;
using Wav2Vec.Training;

namespace Wav2Vec.Tests.Ctc;

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
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Presets.Tiny(vocabulary.Count));
        var settings = new FineTuneSettings(Steps: 100, LearningRate: 1e-3, LossReduction: "mean",
            Schedule: new TriStageSchedule(0, 0, WarmupRatio: 0.1, HoldRatio: 0.9, DecayRatio: 0));
        using var tuner = new CtcFineTuner(model, new Tokenizer(vocabulary, TranscriptNormalizer.English), settings);
        var batch = new LabelledBatch(["input", "input2"],
            [Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input.wav")), Pcm16Wave.Read(Path.Combine(CtcFixtures.Folder, "input2.wav"))],
            ["the quick brown fox jumps over the lazy dog", "speech recognition without transcripts"]);
        double Cer()
        {
            using var recognizer = new CtcRecognizer(model, vocabulary);
            return Evaluation.Run(recognizer, batch.Ids.Select((id, i) => (id, batch.Waveforms[i], batch.Transcripts[i])), TranscriptNormalizer.English).Cer;
        }

        double before = Cer();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var reports = Enumerable.Range(0, settings.Steps).Select(_ => tuner.Step(batch)).ToList();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double after = Cer();

        Assert.True(before > 0.8, $"an untrained model should be garbage, CER {before:0.000}");
        Assert.True(after < 0.15, $"CER {before:0.000} → {after:0.000} after {settings.Steps} updates ({cpuSeconds:0} s CPU)");
        Assert.DoesNotContain(reports, r => r.Skipped);
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
        using var model = new Wav2Vec2ForCtc(Wav2Vec2Presets.Tiny(vocabulary.Count));
        var settings = new FineTuneSettings(Steps: 260, LearningRate: 3e-4, ClipNorm: 5.0, LossReduction: "mean",
            Schedule: new TriStageSchedule(0, 0, WarmupRatio: 0.2308, HoldRatio: 0.7692, DecayRatio: 0), Seed: 1);
        using var tuner = new CtcFineTuner(model, new Tokenizer(vocabulary, TranscriptNormalizer.English), settings);
        var probe = data.Take(12).ToList();
        double Cer()
        {
            using var recognizer = new CtcRecognizer(model, vocabulary);
            return Evaluation.Run(recognizer, probe.Select(d => (d.Utterance.Id, d.Waveform, d.Utterance.Transcript)), TranscriptNormalizer.English).Cer;
        }

        double before = Cer();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var lengths = data.Select(d => d.Utterance.NumSamples).ToList();
        for (int epoch = 0; tuner.Updates < settings.Steps; epoch++)
            foreach (var indices in BatchPlan.Epoch(lengths, 3 * 16000, 1, epoch).TakeWhile(_ => tuner.Updates < settings.Steps))
                tuner.Step(new LabelledBatch(indices.Select(i => data[i].Utterance.Id).ToList(),
                    indices.Select(i => data[i].Waveform).ToList(), indices.Select(i => data[i].Utterance.Transcript).ToList()));
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double after = Cer();

        Assert.InRange(data.Sum(d => d.Waveform.Length) / 16000.0, 120, 125);
        Assert.True(before > 1, $"an untrained model should insert garbage, CER {before:0.000}");
        Assert.True(after < 0.5, $"CER {before:0.000} → {after:0.000} after {settings.Steps} updates ({cpuSeconds:0} s CPU)");
    }
}
