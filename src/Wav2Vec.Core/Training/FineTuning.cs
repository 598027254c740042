using System.Text.Json;
using Wav2Vec.Audio;
using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Text;
using Wav2Vec.Torch;

namespace Wav2Vec.Training;

/// <summary>A dev evaluation during fine-tuning.</summary>
public sealed record DevEvaluation(int Step, double Wer, double Cer, bool Best);

/// <summary>What a fine-tuning run produced: the best dev step and rates, skipped updates, and where the models are.</summary>
public sealed record FineTuneResult(int BestStep, double BestWer, double BestCer, int Updates, int SkippedUpdates, string BestDirectory, string LastDirectory);

/// <summary>
/// Runs a <see cref="FineTuneExperiment"/> as a plain loop over <see cref="CtcFineTuner.Step"/>: load the
/// manifests and the pre-trained model (replacing lm_head when the vocabulary differs), train, evaluate dev
/// greedily every <c>EvalEvery</c> updates and keep the checkpoint with the lowest WER (then CER).
/// </summary>
public static class FineTuning
{
    /// <summary>Runs the experiment; <paramref name="log"/> receives progress lines.</summary>
    public static FineTuneResult Run(FineTuneExperiment experiment, Action<string> log)
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(experiment.Seed);
        var normalizer = TranscriptNormalizer.For(experiment.Language);
        var train = Labelled(experiment.Manifest, experiment.Train);
        var dev = Labelled(experiment.Manifest, experiment.Dev);
        var vocabulary = experiment.Vocab is { } vocabPath ? Vocabulary.Load(vocabPath)
            : normalizer.Language == "en" ? Vocabulary.English
            : Vocabulary.FromTranscripts(train.Select(u => u.Transcript), normalizer);
        var tokenizer = new Tokenizer(vocabulary, normalizer);
        var device = Devices.Resolve(Devices.Parse(experiment.Device));

        using var model = LoadModel(experiment.Pretrained, vocabulary, experiment.MaskTimeProb, experiment.MaskChannelProb, log);
        var settings = new FineTuneSettings(experiment.Steps, experiment.LearningRate, experiment.FreezeTransformerSteps,
            TimeMasking: FineTuneSettings.PaperTimeMasking with { Prob = experiment.MaskTimeProb },
            ChannelMasking: FineTuneSettings.PaperChannelMasking with { Prob = experiment.MaskChannelProb }, Seed: experiment.Seed);
        using var tuner = new CtcFineTuner(model, tokenizer, settings, device);
        Directory.CreateDirectory(experiment.Output);
        experiment.Save(Path.Combine(experiment.Output, "experiment.json"));
        string best = Path.Combine(experiment.Output, "best"), last = Path.Combine(experiment.Output, "last");
        using var metrics = new StreamWriter(Path.Combine(experiment.Output, "metrics.jsonl"));
        var bestSoFar = new DevEvaluation(-1, double.PositiveInfinity, double.PositiveInfinity, false);
        log($"fine-tuning {experiment.Pretrained}: {train.Count} train / {dev.Count} dev utterances, {vocabulary.Count} tokens, {experiment.Steps} updates on {device}");

        var lengths = train.Select(u => u.NumSamples).ToList();
        for (int epoch = 0; tuner.Updates < experiment.Steps; epoch++)
            foreach (var indices in BatchPlan.Epoch(lengths, (long)(experiment.BatchSeconds * Manifest.SampleRate), experiment.Seed, epoch))
            {
                if (tuner.Updates >= experiment.Steps) break;
                var batch = indices.Select(i => train[i]).ToList();
                var report = tuner.Step(new LabelledBatch(batch.Select(u => u.Id).ToList(),
                    batch.Select(u => AudioDecoder.Decode(u.AudioPath)).ToList(), batch.Select(u => u.Transcript).ToList()));
                metrics.WriteLine(JsonSerializer.Serialize(report));
                if (report.Step % 10 == 0 || report.Skipped)
                    log($"step {report.Step,6} loss {report.Loss,9:0.000} lr {report.LearningRate:0.00e0} |g| {report.GradNorm,8:0.00}{(report.TransformerFrozen ? " (transformer frozen)" : "")}{(report.Skipped ? " SKIPPED (non-finite)" : "")}");
                if (tuner.Updates % experiment.EvalEvery == 0 || tuner.Updates == experiment.Steps)
                {
                    var evaluation = Evaluate(model, vocabulary, dev, normalizer, device);
                    bool better = evaluation.Wer < bestSoFar.Wer || (evaluation.Wer == bestSoFar.Wer && evaluation.Cer < bestSoFar.Cer);
                    var record = new DevEvaluation(tuner.Updates, evaluation.Wer, evaluation.Cer, better);
                    metrics.WriteLine(JsonSerializer.Serialize(record));
                    metrics.Flush();
                    log($"dev @ {record.Step}: WER {record.Wer:P2} CER {record.Cer:P2}{(better ? " (best)" : "")}");
                    if (better)
                    {
                        bestSoFar = record;
                        Save(model, vocabulary, best, experiment.Pretrained);
                    }
                }
            }
        Save(model, vocabulary, last, experiment.Pretrained);
        return new FineTuneResult(bestSoFar.Step, bestSoFar.Wer, bestSoFar.Cer, tuner.Updates, tuner.SkippedUpdates, best, last);
    }

    /// <summary>Greedy dev evaluation of the model being trained.</summary>
    public static EvaluationResult Evaluate(Wav2Vec2ForCtc model, Vocabulary vocabulary, IReadOnlyList<LabelledUtterance> utterances,
        ITranscriptNormalizer normalizer, TorchSharp.torch.Device? device = null)
    {
        using var recognizer = new CtcRecognizer(model, vocabulary, device: device);
        return Evaluation.Run(recognizer, utterances.Select(u => (u.Id, AudioDecoder.Decode(u.AudioPath), u.Transcript)), normalizer);
    }

    /// <summary>The labelled utterances of a manifest split (words as transcripts); an unlabelled split is an error naming it.</summary>
    public static IReadOnlyList<LabelledUtterance> Labelled(string manifestDirectory, string split)
    {
        var manifest = ManifestFiles.Read(manifestDirectory, split);
        if (!manifest.IsLabelled)
            throw new FormatException($"{ManifestFiles.TsvPath(manifestDirectory, split)}: split '{split}' has no .wrd/.ltr labels; fine-tuning and evaluation need transcripts.");
        return manifest.Entries.Select(e => new LabelledUtterance(e.Id, manifest.FullPath(e), e.NumSamples, e.Words!)).ToList();
    }

    /// <summary>
    /// The pre-trained network in <paramref name="directory"/> with a CTC head for <paramref name="vocabulary"/>: a CTC
    /// checkpoint with the same vocab.json keeps its head; otherwise lm_head is replaced and the rest kept (paper §3.3).
    /// The mask probabilities are written into the config so <c>masked_spec_embed</c> exists when masking is on.
    /// </summary>
    public static Wav2Vec2ForCtc LoadModel(string directory, Vocabulary vocabulary, double maskTimeProb, double maskFeatureProb, Action<string> log)
    {
        var loaded = Wav2Vec2Checkpoint.Load(directory, KeyMatching.SharedNetwork, null,
            config => new Wav2Vec2ForCtc(config with { MaskTimeProb = maskTimeProb, MaskFeatureProb = maskFeatureProb }));
        log(loaded.Report.ToString());
        var vocabPath = Path.Combine(directory, "vocab.json");
        bool sameHead = File.Exists(vocabPath) && Vocabulary.Load(vocabPath).Equals(vocabulary) && loaded.Config.VocabSize == vocabulary.Count
                        && !loaded.Report.Missing.Any(name => name.StartsWith("lm_head", StringComparison.Ordinal));
        if (sameHead) return loaded.Model;
        log($"new lm_head for {vocabulary.Count} tokens (the checkpoint's head, if any, is for another vocabulary)");
        return loaded.Model.WithNewHead(vocabulary.Count);
    }

    /// <summary>Saves the model and its vocabulary as a Hugging Face directory (sidecar files copied from <paramref name="pretrained"/>).</summary>
    public static void Save(Wav2Vec2ForCtc model, Vocabulary vocabulary, string directory, string pretrained)
    {
        model.SavePretrained(directory, copyFrom: pretrained);
        vocabulary.Save(Path.Combine(directory, "vocab.json"));
    }
}
