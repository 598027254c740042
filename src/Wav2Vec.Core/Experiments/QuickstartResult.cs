using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Audio;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Sinks;
using Wav2Vec.Text;
using Wav2Vec.Training;

namespace Wav2Vec.Experiments;

/// <summary>One fine-tuned arm of the quickstart: its description, the model evaluated and its greedy test result.</summary>
/// <param name="Description">The arm's description.</param>
/// <param name="Model">The model evaluated (<see cref="RunFolder.Trained"/>: best by dev, else final).</param>
/// <param name="Test">Greedy test scores and transcripts.</param>
/// <param name="Steps">Updates the run made.</param>
/// <param name="Seconds">The run's wall time, resumed sessions included.</param>
public sealed record QuickstartArmResult(FinetuneExperiment Description, string Model, EvaluationResult Test, long Steps, double Seconds)
{
    /// <summary>Greedy scores of the finished run of <paramref name="arm"/> on <paramref name="testSplit"/> of its corpus.</summary>
    /// <exception cref="InvalidDataException">The run has logged no step yet.</exception>
    public static QuickstartArmResult Measure(FinetuneExperiment arm, string testSplit)
    {
        var folder = Experiment.Folder(arm);
        var last = (File.Exists(folder.MetricsJsonl) ? JsonLinesLog.Read(folder.MetricsJsonl).LastOrDefault() : null)
                   ?? throw new InvalidDataException($"{folder.MetricsJsonl}: run '{arm.Name}' has logged no step; run it first.");
        var model = folder.Trained;
        return new QuickstartArmResult(arm, model, Evaluate(model, arm.Corpus.Folder, testSplit, arm.Language, arm.Corpus.BadAudio),
            last.Step, last.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Greedy WER/CER of the CTC model in <paramref name="modelDirectory"/> on a labelled split. Audio files that do not
    /// decode are left out with <see cref="BadAudioPolicy.Skip"/> (the run that trained the model checked the same split
    /// with its policy before its first update, and named them in its <c>skipped.tsv</c>) or stop the evaluation with
    /// their <see cref="AudioDecodeException"/> with <see cref="BadAudioPolicy.Fail"/>.
    /// </summary>
    public static EvaluationResult Evaluate(string modelDirectory, string manifestFolder, string split, string language = "en",
        BadAudioPolicy badAudio = BadAudioPolicy.Fail)
    {
        using var recognizer = CtcRecognizer.Load(modelDirectory);
        var config = recognizer.Model.Config;
        var decode = DecodeOptions.Default with { MinSamples = (int)FrameLengths.ReceptiveField(config.ConvKernel, config.ConvStride) };
        var audio = FineTuning.Labelled(manifestFolder, split)
            .Select(u => new Utterance(u.Id, u.AudioPath, u.NumSamples, u.Transcript))
            .Decode(decode, badAudio);
        return Evaluation.Run(recognizer, audio.Select(a => (a.Utterance.Id, a.Samples, a.Utterance.Transcript!)), TranscriptNormalizer.For(language));
    }

    /// <summary>What the arm started from: the pre-trained model directory, or a fresh network.</summary>
    public string StartsFrom => Description.Pretrained is { } directory ? Shown(directory) : $"random initialisation (seed {Description.Seed})";

    /// <summary>The arm's entry in <c>summary.json</c>; rates are fractions (0.25 = 25 %), paths relative to the working directory when below it.</summary>
    public JsonObject ToJson() => new()
    {
        ["cer"] = Test.Cer,
        ["wer"] = Test.Wer,
        ["utterances"] = Test.Utterances.Count,
        ["steps"] = Steps,
        ["seconds"] = Math.Round(Seconds, 1),
        ["startsFrom"] = StartsFrom,
        ["run"] = Shown(Experiment.Folder(Description).Path),
        ["model"] = Shown(Model),
    };

    /// <summary><paramref name="path"/> relative to the working directory when it lies below it, else in full.</summary>
    static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative;
    }
}

/// <summary>The quickstart's comparison: the pre-trained and the from-scratch arm, each greedily on the test split.</summary>
public sealed record QuickstartResult(QuickstartArmResult Pretrained, QuickstartArmResult Scratch)
{
    /// <summary>File name of the summary in <see cref="QuickstartPlan.Folder"/>.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>Evaluates both finished arms of <paramref name="plan"/> on its test split.</summary>
    public static QuickstartResult Measure(QuickstartPlan plan) =>
        new(QuickstartArmResult.Measure(plan.Pretrained, plan.TestSplit), QuickstartArmResult.Measure(plan.Scratch, plan.TestSplit));

    /// <summary><c>{"pretrained": {"cer": …, "wer": …, …}, "scratch": {"cer": …, "wer": …, …}}</c> (<see cref="QuickstartArmResult.ToJson"/>).</summary>
    public JsonObject Summary() => new() { ["pretrained"] = Pretrained.ToJson(), ["scratch"] = Scratch.ToJson() };

    /// <summary>Writes <see cref="Summary"/> to <paramref name="path"/>, whole or not at all.</summary>
    public void WriteSummary(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, Summary().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
