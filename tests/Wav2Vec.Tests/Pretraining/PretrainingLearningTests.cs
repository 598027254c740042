using System.Diagnostics;
using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using Wav2Vec.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class PretrainingLearningTests(ITestOutputHelper output)
{
    const int CropSamples = 16000 * 3 / 2;
    const int Batch = 4;

    static readonly (string, int, int)[] TrainVoices = [("en-us", 150, 50), ("en-gb", 175, 40), ("en-029", 140, 60)];
    static readonly (string, int, int)[] HeldOutVoices = [("en-gb-scotland", 160, 55)];

    /// <summary>A [rows, CropSamples] batch of random crops, each normalised to zero mean and unit variance (HF do_normalize).</summary>
    static Tensor Crops(IReadOnlyList<float[]> corpus, Random random, int rows)
    {
        var data = new float[rows * CropSamples];
        for (int r = 0; r < rows; r++)
        {
            var source = corpus[random.Next(corpus.Count)];
            var start = random.Next(Math.Max(source.Length - CropSamples, 1));
            var crop = source.AsSpan(start, Math.Min(CropSamples, source.Length - start)).ToArray();
            var mean = crop.Average();
            var std = (float)Math.Sqrt(crop.Average(x => (x - mean) * (x - mean)) + 1e-7);
            for (int i = 0; i < crop.Length; i++) data[r * CropSamples + i] = (crop[i] - mean) / std;
        }
        return torch.tensor(data, new long[] { rows, CropSamples });
    }

    static PretrainingLossValues Evaluate(Wav2Vec2ForPreTraining model, Tensor audio, PretrainingStepOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return PretrainingStep.Losses(model, audio, null, options, step: 0, seed: 99, out _).ToValues();
    }

    [Fact]
    public void TinyPresetPretrainingLowersContrastiveLossRaisesAccuracyWithoutCodebookCollapse()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(0);
        var clock = Stopwatch.StartNew();
        var train = SyntheticSpeech.Corpus(SyntheticSpeech.Sentences[..11], TrainVoices);
        var heldOut = SyntheticSpeech.Corpus(SyntheticSpeech.Sentences[11..], HeldOutVoices);
        output.WriteLine($"synthesised {train.Sum(u => u.Length) / 16000.0:F0} s train, {heldOut.Sum(u => u.Length) / 16000.0:F0} s held out in {clock.Elapsed.TotalSeconds:F1} s");

        var config = Wav2Vec2Presets.Tiny();
        var model = new Wav2Vec2ForPreTraining(config);
        var options = PretrainingStepOptions.From(config) with
        {
            Temperature = new GumbelTemperatureSchedule(2.0, 0.995, 0.5),
        };
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-6, weight_decay: 0.01);
        using var evalAudio = Crops(heldOut, new Random(7), 6);
        var before = Evaluate(model, evalAudio, options);

        var random = new Random(1);
        var steps = int.Parse(Environment.GetEnvironmentVariable("W2V_STEPS") ?? "250");
        var log = new List<PretrainingStepResult>();
        var trainClock = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var audio = Crops(train, random, Batch);
            log.Add(PretrainingStep.Run(model, optimizer, audio, null, options, step, seed: 5));
            if (step % 25 == 0) output.WriteLine($"{step}: {log[^1]}");
        }
        var trainSeconds = trainClock.Elapsed.TotalSeconds;
        var after = Evaluate(model, evalAudio, options);
        output.WriteLine($"before {before}");
        output.WriteLine($"after  {after}");
        output.WriteLine($"{steps} steps in {trainSeconds:F1} s (cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds:F1} s), total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Fail("experiment");
    }
}
