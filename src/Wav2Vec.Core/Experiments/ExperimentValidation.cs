using Wav2Vec.Pretraining;
using Wav2Vec.Torch;

namespace Wav2Vec.Experiments;

/// <summary>Checks a description before anything runs; each error names the source and the offending field.</summary>
public static class ExperimentValidation
{
    /// <summary>Returns <paramref name="e"/> or throws <see cref="ArgumentException"/> naming the field.</summary>
    public static T Check<T>(T e, string source = "experiment") where T : ExperimentDescription => (T)e.Validate(source);

    /// <summary>The fields every description shares.</summary>
    internal static void Common(ExperimentDescription e, string source)
    {
        var (corpus, opt, output) = (e.Corpus, e.Optimizer, e.Output);
        Require(source, !string.IsNullOrWhiteSpace(e.Name) && e.Name.IndexOfAny(['/', '\\']) < 0, "name", $"must be a non-empty folder name, got '{e.Name}'");
        Require(source, e.Steps > 0, "steps", $"must be positive, got {e.Steps}");
        Require(source, e.Precision.Trim().ToLowerInvariant() is "auto" or "fp32" or "float32" or "bf16" or "bfloat16", "precision",
            $"is '{e.Precision}'; use fp32, bf16 or auto");
        Require(source, e.Accumulate >= 1, "accumulate", $"must be at least 1 micro-batch per update, got {e.Accumulate}");
        Require(source, e.BatchSamples >= 1600, "batchSamples", $"must be at least 1600 samples, got {e.BatchSamples}");
        Require(source, !string.IsNullOrWhiteSpace(corpus.Folder), "corpus.folder", "must name a folder");
        Require(source, !string.IsNullOrWhiteSpace(corpus.Train), "corpus.train", "must name a split");
        Require(source, corpus.SynthesizeHours >= 0 && double.IsFinite(corpus.SynthesizeHours), "corpus.synthesizeHours", "must not be negative");
        Require(source, corpus.MaxSeconds > 0, "corpus.maxSeconds", "must be positive");
        Require(source, corpus.TrimSilence is not { } db || db is > 0 and <= 120, "corpus.trimSilence",
            $"must be decibels below the loudest frame in (0, 120] (e.g. 40), or null to keep the audio whole; got {corpus.TrimSilence}");
        Require(source, opt.LearningRate > 0 && double.IsFinite(opt.LearningRate), "optimizer.learningRate", $"must be positive, got {opt.LearningRate}");
        Require(source, opt.WeightDecay >= 0, "optimizer.weightDecay", "must not be negative");
        Require(source, opt.Beta1 is >= 0 and < 1, "optimizer.beta1", $"must be in [0, 1), got {opt.Beta1}");
        Require(source, opt.Beta2 is >= 0 and < 1, "optimizer.beta2", $"must be in [0, 1), got {opt.Beta2}");
        Require(source, opt.Epsilon > 0, "optimizer.epsilon", $"must be positive, got {opt.Epsilon}");
        Require(source, opt.ClipNorm > 0, "optimizer.clipNorm", "must be positive");
        Require(source, opt.WarmupRatio >= 0 && opt.HoldRatio >= 0 && opt.DecayRatio >= 0, "optimizer.warmupRatio", "ratios must not be negative");
        Require(source, Math.Abs(opt.WarmupRatio + opt.HoldRatio + opt.DecayRatio - 1) < 1e-6, "optimizer.decayRatio",
            $"warmupRatio + holdRatio + decayRatio must be 1, got {opt.WarmupRatio + opt.HoldRatio + opt.DecayRatio}");
        Require(source, opt.FinalScale is >= 0 and <= 1, "optimizer.finalScale", "must be in [0, 1]");
        Require(source, opt.NoDecay is not { } patterns || patterns.All(p => !string.IsNullOrWhiteSpace(p)), "optimizer.noDecay",
            "must list parameter-name patterns such as \"*.bias\", without empty entries");
        Require(source, output.CheckpointEvery > 0, "output.checkpointEvery", "must be positive");
        Require(source, output.KeepLast >= 1, "output.keepLast", "must be at least 1");
        Require(source, output.EvaluateEvery >= 0, "output.evaluateEvery", "must not be negative");
        Wrap(source, "device", () => Devices.Parse(e.Device));
    }

    internal static void Pretrain(PretrainExperiment e, string source)
    {
        Require(source, e.CropSamples >= 16000 / 10, "cropSamples", $"must be at least 1600 samples (0.1 s), got {e.CropSamples}");
        Require(source, e.CropSamples <= e.BatchSamples, "cropSamples", $"({e.CropSamples}) must not exceed batchSamples ({e.BatchSamples})");
        Require(source, e.DiagnosticsEvery >= 0, "diagnosticsEvery", $"must not be negative, got {e.DiagnosticsEvery}");
        Require(source, e.DevUtterances >= 1, "devUtterances", $"must be at least 1, got {e.DevUtterances}");
        Require(source, e.Temperature.Min > 0 && e.Temperature.Min <= e.Temperature.Start, "temperature.min", "must be in (0, temperature.start]");
        Require(source, e.Temperature.Decay is > 0 and <= 1, "temperature.decay", "must be in (0, 1]");
        Require(source, e.Model.ApplySpecAugment, "model.apply_spec_augment",
            "is false, but pre-training predicts masked frames: remove it or set it to true");
        Require(source, e.InitFrom is null || !string.IsNullOrWhiteSpace(e.InitFrom), "initFrom", "must name a model directory or be null");
        Wrap(source, "masking", () => e.Masking.Validate());
        Wrap(source, "model", () => e.ResolvedModel.Validate());
        Objective(e.Objective, source);
        Require(source, !e.Objective.IsBestRq || e.Objective.Features != PretrainObjectiveSpec.LogMelFeatures || LogMel.Fits(e.ResolvedModel),
            "objective.features", $"is '{PretrainObjectiveSpec.LogMelFeatures}', but the model's frames are " +
            $"{LogMel.ModelHop(e.ResolvedModel)} samples apart; log-mel targets stack 10 ms frames and need a multiple of {LogMel.HopSamples}");
    }

    static void Objective(PretrainObjectiveSpec? o, string source)
    {
        Require(source, o is not null, "objective", $"must be an object with \"kind\": \"{PretrainObjectiveSpec.Wav2Vec2}\" or \"{PretrainObjectiveSpec.BestRq}\"");
        Require(source, o!.Kind is PretrainObjectiveSpec.Wav2Vec2 or PretrainObjectiveSpec.BestRq, "objective.kind",
            $"is '{o.Kind}'; use \"{PretrainObjectiveSpec.Wav2Vec2}\" or \"{PretrainObjectiveSpec.BestRq}\"");
        if (!o.IsBestRq)
        {
            Require(source, o.Targets is PretrainObjectiveSpec.Quantized or PretrainObjectiveSpec.Continuous, "objective.targets",
                $"is '{o.Targets}'; use \"{PretrainObjectiveSpec.Quantized}\" or \"{PretrainObjectiveSpec.Continuous}\"");
            Require(source, o.GumbelNoise || !o.ContinuousTargets, "objective.gumbelNoise",
                "is false, but continuous targets have no quantizer to draw Gumbel noise for: remove it or use \"targets\": \"quantized\"");
            Require(source, o.Codebook == PretrainObjectiveSpec.RandomCodebook, "objective.codebook",
                $"is '{o.Codebook}', but it belongs to the best-rq objective (wav2vec2 learns its quantizer by gradient): remove it");
            return;
        }
        Require(source, o.Codebook is PretrainObjectiveSpec.RandomCodebook or PretrainObjectiveSpec.KMeansCodebook, "objective.codebook",
            $"is '{o.Codebook}'; use \"{PretrainObjectiveSpec.RandomCodebook}\" (BEST-RQ's frozen random codebook) or " +
            $"\"{PretrainObjectiveSpec.KMeansCodebook}\" (HuBERT-style centroids fitted to the training pool)");
        Require(source, o.CodebookUtterances >= 1, "objective.codebookUtterances", $"must be at least 1, got {o.CodebookUtterances}");
        Require(source, o.Targets == PretrainObjectiveSpec.Quantized, "objective.targets",
            $"is '{o.Targets}', but it belongs to the wav2vec2 objective (best-rq predicts its own codes): remove it");
        Require(source, o.GumbelNoise, "objective.gumbelNoise",
            "is false, but it belongs to the wav2vec2 objective (best-rq has no Gumbel quantizer): remove it");
        Require(source, o.CodebookSize >= 2, "objective.codebookSize", $"must be at least 2, got {o.CodebookSize}");
        Require(source, o.CodebookDim >= 1, "objective.codebookDim", $"must be at least 1, got {o.CodebookDim}");
        Require(source, o.Features is PretrainObjectiveSpec.Cnn or PretrainObjectiveSpec.CnnFrozen or PretrainObjectiveSpec.LogMelFeatures,
            "objective.features", $"is '{o.Features}'; use \"{PretrainObjectiveSpec.Cnn}\" (the training feature encoder's output), " +
            $"\"{PretrainObjectiveSpec.CnnFrozen}\" (a frozen copy of it as the run starts) or \"{PretrainObjectiveSpec.LogMelFeatures}\" (80 log-mel bins)");
    }

    internal static void Finetune(FinetuneExperiment e, string source)
    {
        Require(source, (e.Pretrained is null) != (e.Model is null), "pretrained",
            e.Model is null ? "must name a model directory (or give \"model\" to train from scratch)"
                : "and 'model' are both set: start from a pre-trained directory or from a model config, not both");
        Require(source, e.Pretrained is null || !string.IsNullOrWhiteSpace(e.Pretrained), "pretrained", "must name a model directory");
        Require(source, e.FreezeTransformerSteps >= 0, "freezeTransformerSteps", "must not be negative");
        Require(source, e.ReinitializeLayers >= 0, "reinitializeLayers", "must not be negative");
        Require(source, e.ReinitializeLayers == 0 || e.Pretrained is not null, "reinitializeLayers",
            "re-initialises layers of a pre-trained network; set 'pretrained' (a network from 'model' is fresh already)");
        Require(source, e.KeepLayers is null or >= 1, "keepLayers", $"must be at least 1, got {e.KeepLayers}");
        Require(source, e.KeepLayers is null || e.Pretrained is not null, "keepLayers",
            "keeps the lower layers of a pre-trained network; set 'pretrained' (for a network from 'model', set model.num_hidden_layers)");
        Require(source, e.KeepLayers is null || e.ReinitializeLayers <= e.KeepLayers, "reinitializeLayers",
            $"is {e.ReinitializeLayers} but keepLayers is {e.KeepLayers}: only kept layers can be re-initialised");
        Require(source, e.BestBy is MetricNames.Wer or MetricNames.Cer, "bestBy", $"is '{e.BestBy}'; use \"wer\" or \"cer\"");
        Require(source, e.LossReduction is null or "sum" or "mean", "lossReduction", $"is '{e.LossReduction}'; use \"sum\" or \"mean\"");
        Require(source, !string.IsNullOrWhiteSpace(e.Vocabulary), "vocabulary", "must be english, corpus or a vocab.json path");
        Wrap(source, "timeMasking", () => e.TimeMasking.Validate());
        Wrap(source, "channelMasking", () => e.ChannelMasking.Validate());
        if (e.Model is { } model) Wrap(source, "model", () => e.Configure(model).Validate());
    }

    static void Require(string source, bool ok, string field, string message)
    {
        if (!ok) throw new ArgumentException($"{source}: field '{field}' {message}.");
    }

    static void Wrap(string source, string field, Action check)
    {
        try { check(); }
        catch (ArgumentException e) when (!e.Message.StartsWith(source + ":", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{source}: field '{field}': {e.Message}", e);
        }
    }
}
